package dev.keyway.sso.saml;

/** The page a browser gets when sign-in is refused: what happened in plain words, and the code support will ask for. */
final class RefusalPage {

    private RefusalPage() {
    }

    static Html.Page render(Rejection reason) {
        return Html.refusal(reason.description(), reason.code());
    }
}
