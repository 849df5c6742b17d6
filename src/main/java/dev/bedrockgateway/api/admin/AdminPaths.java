package dev.bedrockgateway.api.admin;

/** The admin API's paths, LiteLLM's own, which only master keys may call. */
public final class AdminPaths {

    private AdminPaths() {
    }

    public static boolean isAdmin(String path) {
        return path != null && (path.startsWith("/key/") || path.startsWith("/team/") || path.startsWith("/spend/"));
    }

    /**
     * {@code path} as it may be logged: LiteLLM's {@code /key/{key}/regenerate} carries a key in the path, which no
     * log may hold.
     */
    public static String loggable(String path) {
        if (path != null && path.startsWith("/key/") && path.endsWith("/regenerate") && !path.equals("/key/regenerate")) {
            return "/key/{key}/regenerate";
        }
        return path;
    }
}
