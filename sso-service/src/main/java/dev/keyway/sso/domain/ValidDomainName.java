package dev.keyway.sso.domain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A domain name {@link DomainName#normalize} accepts: two labels or more, no wildcard, no address; null is refused. */
@Documented
@Constraint(validatedBy = ValidDomainName.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidDomainName {

    /** The default names the length limit, which is known only at run time. */
    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ValidDomainName, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (DomainName.normalize(value).isPresent()) {
                return true;
            }
            if (context.getDefaultConstraintMessageTemplate().isEmpty()) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate("a domain name such as example.com (letters, digits and "
                        + "hyphens, at least two labels, at most " + DomainName.MAX_LENGTH + " characters)")
                        .addConstraintViolation();
            }
            return false;
        }
    }
}
