#!/usr/bin/env bash
# Prints a least-privilege IAM policy (JSON, on stdout) that lets bedrock-gateway invoke exactly the Bedrock models of
# a model catalog in LiteLLM's `model_list` format. Needs only bash and a POSIX awk (no yq, no python).
#
# Usage:
#   deploy/iam/policy-from-catalog.sh [--region REGION] [--geo-regions PREFIX=R1,R2,...]... CATALOG ACCOUNT_ID
#
#   CATALOG      the catalog file (the ConfigMap's config.yaml)
#   ACCOUNT_ID   the AWS account the pod runs in (12 digits; the literal <ACCOUNT_ID> is accepted for templates)
#   --region     region of entries without aws_region_name; default: $GATEWAY_BEDROCK_REGION, else $AWS_REGION,
#                else us-east-1 -- the same order the gateway itself uses
#   --geo-regions PREFIX=R1,R2,...
#                pin the destination regions of the cross-region inference profiles with that prefix (us, eu, apac,
#                ...) instead of the default region wildcard. Example: --geo-regions us=us-east-1,us-east-2,us-west-2
#
# What it grants, per catalog entry (`litellm_params.model: bedrock/[converse/|invoke/]<id>`):
#   base model id (anthropic.claude-3-haiku-20240307-v1:0)
#       arn:aws:bedrock:<entry region>::foundation-model/<id>
#   cross-region inference profile id (us./us-gov./eu./apac./jp./au./global. + base id)
#       arn:aws:bedrock:<entry region>:<ACCOUNT_ID>:inference-profile/<profile id>
#       arn:aws:bedrock:*::foundation-model/<base id>     (every region the profile may route to; `*` also matches
#                                                          the region-less ARN that global. profiles use), only
#                                                          through that profile (condition bedrock:InferenceProfileArn)
#   an ARN (application-inference-profile, inference-profile, foundation-model, provisioned-model, ...)
#       the ARN as given. An application inference profile also needs the foundation-model ARNs it routes to: they
#       cannot be known from the file, so the script prints, on stderr, the aws command that lists them.
# Actions: bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream (Converse and ConverseStream are
# authorized by these two); bedrock:CountTokens on the foundation model of every base id and profile, in the entry's
# region (CountTokens takes foundation models only: /v1/messages/count_tokens and /bedrock/.../count-tokens).
set -euo pipefail

die() { printf 'policy-from-catalog.sh: %s\n' "$*" >&2; exit 2; }
warn() { printf 'policy-from-catalog.sh: warning: %s\n' "$*" >&2; }

default_region="${GATEWAY_BEDROCK_REGION:-${AWS_REGION:-us-east-1}}"
declare -A geo_regions=()
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --region) [ $# -ge 2 ] || die "--region needs a value"; default_region="$2"; shift 2 ;;
    --region=*) default_region="${1#*=}"; shift ;;
    --geo-regions) [ $# -ge 2 ] || die "--geo-regions needs PREFIX=R1,R2"; set -- "--geo-regions=$2" "${@:3}" ;;
    --geo-regions=*)
      spec="${1#*=}"; prefix="${spec%%=*}"; list="${spec#*=}"
      [ -n "$prefix" ] && [ -n "$list" ] && [ "$prefix" != "$spec" ] || die "--geo-regions takes PREFIX=R1,R2,... (got '$spec')"
      geo_regions["$prefix"]="${list//,/ }"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --) shift; args+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) args+=("$1"); shift ;;
  esac
done
[ ${#args[@]} -eq 2 ] || die "usage: policy-from-catalog.sh [--region R] [--geo-regions P=R1,R2]... CATALOG ACCOUNT_ID"
catalog="${args[0]}"; account="${args[1]}"
[ -r "$catalog" ] || die "cannot read $catalog"
[[ "$account" =~ ^[0-9]{12}$ || "$account" == "<ACCOUNT_ID>" ]] || warn "account id '$account' is not 12 digits"
[[ "$default_region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "'$default_region' does not look like an AWS region"

# ---- 1. Scan the YAML: one "region|model|entry number" line per model_list entry ---------------------------
# Handles block style and one-line flow maps ({model: ..., aws_region_name: ...}), quotes, comments, and
# os.environ/NAME values (read from this shell's environment, as the gateway reads them from the pod's).
entries="$(awk '
  function unquote(v) { sub(/^[\"\047]/, "", v); sub(/[\"\047]$/, "", v); return v }
  function value_of(line, key,    rest) {
    if (!match(line, "(^|[ \t{,])[\"\047]?" key "[\"\047]?:[ \t]*")) return ""
    rest = substr(line, RSTART + RLENGTH)
    if (rest ~ /^[\"\047]/) { q = substr(rest, 1, 1); rest = substr(rest, 2); sub(q ".*$", "", rest); return rest }
    sub(/[ \t,}].*$/, "", rest)
    return rest
  }
  function env(v,    name) {
    if (v !~ /^os\.environ\//) return v
    name = substr(v, 12)
    if (name in ENVIRON && ENVIRON[name] != "") return ENVIRON[name]
    printf "policy-from-catalog.sh: warning: %s is not set in this shell\n", v > "/dev/stderr"
    return ""
  }
  function flush() {
    if (model != "") printf "%s|%s|%s\n", env(region), env(model), entry
    model = ""; region = ""
  }
  {
    line = $0
    sub(/\r$/, "", line)
    if (line ~ /^[ \t]*#/) next
    sub(/[ \t]#.*$/, "", line)                     # trailing comment (model ids never contain " #")
    if (line ~ /^[ \t]*$/) next
    if (line ~ /^[^ \t-]/) {                       # a top-level key
      if (inlist) flush()
      inlist = (line ~ /^[\"\047]?model_list[\"\047]?:/)
      itemindent = -1
      next
    }
    if (!inlist) next
    if (match(line, /^[ ]*-([ ]|$)/)) {            # a list item: a new entry when at the items indentation
      match(line, /^[ ]*/); ind = RLENGTH
      if (itemindent < 0) itemindent = ind
      if (ind == itemindent) { flush(); entry++ }
    }
    if (model == "") { v = value_of(line, "model"); if (v != "") model = unquote(v) }
    if (region == "") { v = value_of(line, "aws_region_name"); if (v != "") region = unquote(v) }
  }
  END { if (inlist) flush() }
' "$catalog")"

[ -n "$entries" ] || die "no model_list entries with a model found in $catalog"

# ---- 2. Classify -------------------------------------------------------------------------------------------------
fm=()          # foundation-model ARNs invoked directly
direct=()      # ARNs invoked as given / inference-profile ARNs
via=()         # foundation-model ARNs reached only through an inference profile
via_profiles=()  # the profiles that may reach them (condition bedrock:InferenceProfileArn)
counted=()     # foundation-model ARNs CountTokens is asked about (profiles counted on their base model)
geo_re='^(us|us-gov|eu|apac|jp|au|global)\.'

# Foundation-model ARNs a cross-region profile with this prefix may route to, from source region $3.
add_via() {
  local prefix="$1" base="$2" source="$3" dr
  if [ -n "${geo_regions[$prefix]:-}" ]; then
    for dr in ${geo_regions[$prefix]}; do via+=("arn:aws:bedrock:${dr}::foundation-model/${base}"); done
    [[ " ${geo_regions[$prefix]} " == *" $source "* ]] || via+=("arn:aws:bedrock:${source}::foundation-model/${base}")
    [ "$prefix" != global ] || via+=("arn:aws:bedrock:::foundation-model/${base}")
  else
    via+=("arn:aws:bedrock:*::foundation-model/${base}")
  fi
}

while IFS='|' read -r region model entry; do
  [ -n "$model" ] || continue
  case "$model" in
    bedrock/*) id="${model#bedrock/}" ;;
    *) warn "model_list[$((entry - 1))]: '$model' is not a bedrock/ model (the gateway refuses it); skipped"; continue ;;
  esac
  case "$id" in converse/*|invoke/*) id="${id#*/}" ;; esac
  [[ "$id" =~ ^[A-Za-z0-9._:/-]+$ ]] || { warn "model_list[$((entry - 1))]: unexpected characters in '$id'; skipped"; continue; }
  r="${region:-$default_region}"
  [[ "$r" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "model_list[$((entry - 1))]: aws_region_name '$r' does not look like an AWS region"

  if [[ "$id" == arn:* ]]; then
    direct+=("$id")
    if [[ "$id" == *:application-inference-profile/* ]]; then
      warn "model_list[$((entry - 1))]: $id is an application inference profile; also grant the foundation-model ARNs it routes to:"
      warn "  aws bedrock get-inference-profile --region $(cut -d: -f4 <<<"$id") --inference-profile-identifier '$id' --query 'models[].modelArn' --output text"
    elif [[ "$id" == *:inference-profile/* ]]; then
      pid="${id##*:inference-profile/}"
      [[ "$pid" =~ $geo_re ]] && base="${pid#*.}" || base="$pid"
      via_profiles+=("$id")
      add_via "${pid%%.*}" "$base" "$(cut -d: -f4 <<<"$id")"
    fi
    continue
  fi

  if [[ "$id" =~ $geo_re ]]; then
    prefix="${id%%.*}"; base="${id#*.}"
    profile="arn:aws:bedrock:${r}:${account}:inference-profile/${id}"
    direct+=("$profile"); via_profiles+=("$profile")
    add_via "$prefix" "$base" "$r"
    counted+=("arn:aws:bedrock:${r}::foundation-model/${base}")
  else
    fm+=("arn:aws:bedrock:${r}::foundation-model/${id}")
    counted+=("arn:aws:bedrock:${r}::foundation-model/${id}")
  fi
done <<<"$entries"

# ---- 3. Print ----------------------------------------------------------------------------------------------------
json_list() {  # sorted, unique, JSON array items at the given indentation
  local indent="$1"; shift
  [ $# -gt 0 ] || return 0
  printf '%s\n' "$@" | LC_ALL=C sort -u | awk -v ind="$indent" '{ printf "%s%s\"%s\"", sep, ind, $0; sep = ",\n" } END { print "" }'
}

statements=()
actions='      "Action": [
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream"
      ],'
if [ ${#fm[@]} -gt 0 ]; then
  statements+=("    {
      \"Sid\": \"InvokeCatalogFoundationModels\",
      \"Effect\": \"Allow\",
$actions
      \"Resource\": [
$(json_list '        ' "${fm[@]}")
      ]
    }")
fi
if [ ${#direct[@]} -gt 0 ]; then
  statements+=("    {
      \"Sid\": \"InvokeCatalogInferenceProfilesAndArns\",
      \"Effect\": \"Allow\",
$actions
      \"Resource\": [
$(json_list '        ' "${direct[@]}")
      ]
    }")
fi
if [ ${#via[@]} -gt 0 ]; then
  statements+=("    {
      \"Sid\": \"InvokeFoundationModelsThroughCatalogInferenceProfiles\",
      \"Effect\": \"Allow\",
$actions
      \"Resource\": [
$(json_list '        ' "${via[@]}")
      ],
      \"Condition\": {
        \"ArnLike\": {
          \"bedrock:InferenceProfileArn\": [
$(json_list '            ' "${via_profiles[@]}")
          ]
        }
      }
    }")
fi
if [ ${#counted[@]} -gt 0 ]; then
  statements+=("    {
      \"Sid\": \"CountTokensOfCatalogModels\",
      \"Effect\": \"Allow\",
      \"Action\": [
        \"bedrock:CountTokens\"
      ],
      \"Resource\": [
$(json_list '        ' "${counted[@]}")
      ]
    }")
fi
[ ${#statements[@]} -gt 0 ] || die "no Bedrock model found in $catalog"

printf '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
for i in "${!statements[@]}"; do
  [ "$i" -gt 0 ] && printf ',\n'
  printf '%s' "${statements[$i]}"
done
printf '\n  ]\n}\n'
