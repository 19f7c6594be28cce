package dev.keyway.portal.page;

/** A request the portal answers with a page of its own (signed out, another organization, a forged form). */
public class PageException extends RuntimeException {

    private final int status;
    private final String title;
    private final String advice;

    public PageException(int status, String title, String advice) {
        super(title, null, false, false);
        this.status = status;
        this.title = title;
        this.advice = advice;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String advice() {
        return advice;
    }

    public static PageException signedOut() {
        return new PageException(401, "Your session has ended",
                "Open the setup link you were sent again, or ask for a new one: links work once and for a limited"
                        + " time.");
    }

    public static PageException otherOrganization() {
        return new PageException(403, "This page belongs to another organization",
                "Your setup link opened the pages of one organization only. Use the link made for the other one.");
    }

    public static PageException notGranted() {
        return new PageException(403, "Your setup link does not include this page",
                "Ask for a setup link that includes it.");
    }
}
