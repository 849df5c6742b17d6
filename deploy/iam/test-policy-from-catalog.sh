#!/usr/bin/env bash
# Checks deploy/iam/policy-from-catalog.sh, and that deploy/iam/bedrock-invoke-policy.json is still its output for the
# bundled catalog. Needs bash, awk and python3 (only to parse the JSON it checks). Run from anywhere:
#   bash deploy/iam/test-policy-from-catalog.sh
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
script="$here/policy-from-catalog.sh"
catalog="$root/src/main/resources/catalog/default-catalog.yaml"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
check() {  # check NAME COMMAND...
  local name="$1"; shift
  if "$@" > "$tmp/out" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$tmp/out"; fi
}
# resources FILE SID -> the statement's resources, one a line
resources() { python3 -c 'import json,sys
for s in json.load(open(sys.argv[1]))["Statement"]:
    if s["Sid"] == sys.argv[2]: print("\n".join(s["Resource"]))' "$1" "$2"; }

# 1. The checked-in policy is the script's output for the bundled catalog.
bundled() {
  bash "$script" --region us-east-1 --geo-regions us=us-east-1,us-east-2,us-west-2 "$catalog" '<ACCOUNT_ID>' \
    | diff - "$here/bedrock-invoke-policy.json"
}
check "bedrock-invoke-policy.json matches the bundled catalog" bundled
check "bedrock-invoke-policy.json is valid JSON" python3 -m json.tool "$here/bedrock-invoke-policy.json"
# CountTokens takes foundation models: a profile entry's base model is counted in the entry's region, unconditioned.
counts_base() {
  resources "$here/bedrock-invoke-policy.json" CountTokensOfCatalogModels \
    | grep -qx 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0'
}
check "CountTokens is granted on a profile's base model" counts_base

# 2. A catalog exercising the format: flow maps, quotes, comments, route prefixes, regions, os.environ/, profiles, ARNs.
cat > "$tmp/catalog.yaml" <<'EOF'
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
model_list:
- model_name: "claude-eu"   # comment
  litellm_params:
    aws_region_name: eu-west-1
    model: "bedrock/converse/eu.anthropic.claude-3-7-sonnet-20250219-v1:0"
- model_name: global-sonnet
  litellm_params: {model: 'bedrock/global.anthropic.claude-sonnet-4-20250514-v1:0', aws_region_name: us-west-2}
- model_name: llama
  litellm_params:
    model: bedrock/invoke/meta.llama3-70b-instruct-v1:0
    aws_region_name: os.environ/TEST_LLAMA_REGION
- model_name: app
  litellm_params:
    model: bedrock/arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc123
- model_name: gpt-4
  litellm_params:
    model: openai/gpt-4
- model_name: titan
  model_info:
    mode: embedding
  litellm_params:
    model: bedrock/amazon.titan-embed-text-v2:0
router_settings:
  model: not-an-entry
EOF
sample() { TEST_LLAMA_REGION=us-west-2 AWS_REGION=eu-central-1 GATEWAY_BEDROCK_REGION= \
  bash "$script" "$tmp/catalog.yaml" 123456789012 > "$tmp/policy.json" 2> "$tmp/stderr"; }
check "sample catalog: script succeeds" sample
expect() {  # expect SID LINES...
  local sid="$1"; shift
  diff <(printf '%s\n' "$@") <(resources "$tmp/policy.json" "$sid")
}
check "sample: foundation models (entry region, \$AWS_REGION default, os.environ/)" expect InvokeCatalogFoundationModels \
  "arn:aws:bedrock:eu-central-1::foundation-model/amazon.titan-embed-text-v2:0" \
  "arn:aws:bedrock:us-west-2::foundation-model/meta.llama3-70b-instruct-v1:0"
check "sample: inference profiles and ARNs as given" expect InvokeCatalogInferenceProfilesAndArns \
  "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc123" \
  "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0" \
  "arn:aws:bedrock:us-west-2:123456789012:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0"
check "sample: profile models in every region, through the profile only" expect \
  InvokeFoundationModelsThroughCatalogInferenceProfiles \
  "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0" \
  "arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"
check "sample: warns about the application inference profile" grep -q 'get-inference-profile' "$tmp/stderr"
check "sample: warns about the non-Bedrock entry" grep -q "openai/gpt-4" "$tmp/stderr"

# 3. Refusals.
refuses() { ! bash "$script" "$@" > /dev/null 2>&1; }
printf 'model_list: []\n' > "$tmp/empty.yaml"
check "refuses an empty catalog" refuses "$tmp/empty.yaml" 123456789012
check "refuses a missing account id" refuses "$tmp/catalog.yaml"
check "refuses a malformed region" refuses --region nowhere "$tmp/catalog.yaml" 123456789012

echo "policy-from-catalog: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
