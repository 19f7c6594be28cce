package dev.keyway.sso.organization;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import dev.keyway.common.tenant.OrgSlug;

/** An organization slug as {@link OrgSlug} accepts it (surrounding spaces aside); null is refused too. */
@Documented
@Constraint(validatedBy = ValidSlug.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidSlug {

    String message() default "2-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ValidSlug, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            try {
                OrgSlug.of(value == null ? null : value.trim());
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
