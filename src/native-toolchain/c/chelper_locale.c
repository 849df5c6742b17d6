/*
 * bedrock-gateway verification toolchain: default-locale detection for SubstrateVM (libchelper).
 *
 * Mirrors what the JDK launcher does on Linux: adopt the user's locale with setlocale(LC_ALL, "")
 * (so an unknown/uninstalled LANG falls back to "C", exactly as on HotSpot), then derive the
 * "format" locale from LC_CTYPE and the "display" locale from LC_MESSAGES. Locale names have the
 * shape language[_COUNTRY][.encoding][@modifier]; "C"/"POSIX" mean en_US.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "svm_locale.h"

static svm_locale_props_t props;

/* glibc spells scripts as modifiers (sr_RS@latin); Java wants ISO 15924 codes. */
static const char *script_for(const char *modifier) {
    static const char *const names[][2] = {
        {"latin", "Latn"}, {"cyrillic", "Cyrl"}, {"devanagari", "Deva"}, {"iqtelif", "Latn"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(modifier, names[i][0]) == 0) {
            return names[i][1];
        }
    }
    /* Already a script code such as "Hans": one upper-case letter, three lower-case. */
    if (strlen(modifier) == 4 && modifier[0] >= 'A' && modifier[0] <= 'Z' &&
        strspn(modifier + 1, "abcdefghijklmnopqrstuvwxyz") == 3) {
        return modifier;
    }
    return NULL;
}

/* Returns 0 on success, -1 if out of memory. Fields not present in the name stay NULL. */
static int parse(int category, char **language, char **script, char **country, char **variant) {
    const char *name = setlocale(category, NULL);
    if (name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0) {
        name = "en_US";
    }
    char *copy = strdup(name);
    if (copy == NULL) {
        return -1;
    }
    char *modifier = strchr(copy, '@');
    if (modifier != NULL) {
        *modifier++ = '\0';
    }
    char *dot = strchr(copy, '.');
    if (dot != NULL) {
        *dot = '\0'; /* the encoding is reported separately (file.encoding), not here */
    }
    char *cntry = strchr(copy, '_');
    if (cntry != NULL) {
        *cntry++ = '\0';
    }
    /* "C.UTF-8" and friends are English without a country. */
    const char *lang = (*copy == '\0' || strcmp(copy, "C") == 0 || strcmp(copy, "POSIX") == 0) ? "en" : copy;
    const char *scr = modifier != NULL ? script_for(modifier) : NULL;
    const char *var = modifier != NULL && strcmp(modifier, "nynorsk") == 0 ? "NY" : NULL;

    int ok = (*language = strdup(lang)) != NULL &&
             (cntry == NULL || *cntry == '\0' || (*country = strdup(cntry)) != NULL) &&
             (scr == NULL || (*script = strdup(scr)) != NULL) &&
             (var == NULL || (*variant = strdup(var)) != NULL);
    free(copy);
    return ok ? 0 : -1;
}

int svm_initialize_locale(void) {
    setlocale(LC_ALL, "");
    if (parse(LC_CTYPE, &props.format_language, &props.format_script, &props.format_country,
              &props.format_variant) != 0 ||
        parse(LC_MESSAGES, &props.display_language, &props.display_script, &props.display_country,
              &props.display_variant) != 0) {
        return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
    }
    return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) {
    return &props;
}
