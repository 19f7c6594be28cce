package dev.keyway.sso.connection;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** Where users land after sign-in: an absolute http(s) URL naming a host, or a path on the SaaS; null passes. */
@Documented
@Constraint(validatedBy = LandingUrl.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface LandingUrl {

    String message() default "an absolute http(s) URL or a path starting with '/'";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<LandingUrl, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.startsWith("/") || isHttpUrl(value);
        }

        private static boolean isHttpUrl(String text) {
            try {
                URI uri = URI.create(text);
                return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
