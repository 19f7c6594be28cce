package dev.keyway.sso.oidc;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The few pages the OpenID Connect endpoints show: Qute templates (every value escaped), no script, no style. */
public final class OidcPages {

    /** Nothing loads or runs; the forms may submit to this service only. */
    private static final String POLICY = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'";

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance askEmail(String action, Iterable<Map.Entry<String, String>> fields,
                String problem);

        static native TemplateInstance confirmLogout(String action, Iterable<Map.Entry<String, String>> fields);

        static native TemplateInstance message(String title, String message);
    }

    private OidcPages() {
    }

    /** Asks for the e-mail that picks the organization, repeating the app's request in hidden fields. */
    public static Response askEmail(String action, Map<String, String> request, String problem) {
        return page(200, Templates.askEmail(action, request.entrySet(), problem).render());
    }

    /** Asks the user to confirm signing out, repeating the app's logout request in hidden fields. */
    public static Response confirmLogout(String action, Map<String, String> request) {
        return page(200, Templates.confirmLogout(action, request.entrySet()).render());
    }

    public static Response message(int status, String title, String message) {
        return page(status, Templates.message(title, message).render());
    }

    private static Response page(int status, String html) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html)
                .header("Content-Security-Policy", POLICY).header("Cache-Control", "no-store").build();
    }
}
