package dev.bedrockgateway.api.admin;

/** The admin API's paths, LiteLLM's own, which only master keys may call. */
public final class AdminPaths {

    private AdminPaths() {
    }

    public static boolean isAdmin(String path) {
        return path != null && (path.startsWith("/key/") || path.startsWith("/team/") || path.startsWith("/spend/"));
    }
}
