package dev.keyway.sso.saml;

/** The page a browser gets when sign-in is refused: what happened in plain words, and the code support will ask for. */
final class RefusalPage {

    private RefusalPage() {
    }

    static String render(Rejection reason) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in refused</title>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;"
                + "color:#222}code{background:#f3f3f3;padding:.1rem .3rem}</style></head><body>"
                + "<h1>Sign-in refused</h1><p>" + Html.escape(reason.description()) + "</p>"
                + "<p>If this is unexpected, contact your administrator and mention <code>" + reason.code()
                + "</code>.</p></body></html>";
    }
}
