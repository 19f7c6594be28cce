package dev.keyway.scim.protocol.filter;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ValueNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.AndFilter;
import com.unboundid.scim2.common.filters.ComplexValueFilter;
import com.unboundid.scim2.common.filters.ContainsFilter;
import com.unboundid.scim2.common.filters.EndsWithFilter;
import com.unboundid.scim2.common.filters.EqualFilter;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import com.unboundid.scim2.common.filters.FilterVisitor;
import com.unboundid.scim2.common.filters.GreaterThanFilter;
import com.unboundid.scim2.common.filters.GreaterThanOrEqualFilter;
import com.unboundid.scim2.common.filters.LessThanFilter;
import com.unboundid.scim2.common.filters.LessThanOrEqualFilter;
import com.unboundid.scim2.common.filters.NotEqualFilter;
import com.unboundid.scim2.common.filters.NotFilter;
import com.unboundid.scim2.common.filters.OrFilter;
import com.unboundid.scim2.common.filters.PresentFilter;
import com.unboundid.scim2.common.filters.StartsWithFilter;

import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.schema.Attribute;
import dev.keyway.scim.protocol.schema.ResourceType.Resolved;
import dev.keyway.scim.protocol.schema.ScimSchemas;

/**
 * Translates a parsed filter into a SQL condition. Values only ever travel as bound parameters ({@code $n}); the SQL
 * text is built from the schema's canonical names and the mapping's expressions, never from the client's spelling.
 * Case rules come from the schema ({@code caseExact}); an attribute or comparison the schema does not allow is an
 * {@code invalidFilter} error, never an empty result.
 */
public final class SqlFilter implements FilterVisitor<String, SqlFilter.Scope> {

    private final SqlMapping mapping;
    private final List<Object> parameters;
    private int elements;

    private SqlFilter(SqlMapping mapping, List<Object> parameters) {
        this.mapping = mapping;
        this.parameters = parameters;
    }

    /**
     * @param parameters the statement's parameters so far; the filter's values are appended and numbered after them
     */
    public static String translate(SqlMapping mapping, Filter filter, List<Object> parameters) {
        try {
            return filter.visit(new SqlFilter(mapping, parameters), Scope.ROOT);
        } catch (com.unboundid.scim2.common.exceptions.ScimException e) {
            throw ScimException.invalidFilter(e.getMessage());
        }
    }

    /** An ORDER BY expression for {@code sortBy} (RFC 7644 §3.4.2.3); multi-valued attributes sort by their primary. */
    public static String sortExpression(SqlMapping mapping, String sortBy) {
        Path path;
        try {
            path = Path.fromString(sortBy);
        } catch (BadRequestException e) {
            throw ScimException.invalidValue("sortBy '" + sortBy + "' is not an attribute path.");
        }
        SqlFilter translator = new SqlFilter(mapping, new ArrayList<>());
        Resolved resolved = translator.resolve(path);
        if (resolved.attribute().multiValued()) {
            if (mapping.relations().containsKey(resolved.attribute().name())) {
                throw ScimException.invalidValue("Sorting by '" + sortBy + "' is not supported.");
            }
            String sub = resolved.sub() != null ? resolved.sub().name() : "value";
            return "(select e.v ->> '" + sub + "' from jsonb_array_elements(coalesce("
                    + mapping.alias() + ".attributes -> '" + resolved.attribute().name()
                    + "', '[]'::jsonb)) e(v) order by coalesce((e.v ->> 'primary')::boolean, false) desc limit 1)";
        }
        String expression = translator.expression(resolved);
        return resolved.target().caseExact() || resolved.target().type() != Attribute.Type.STRING
                ? expression : "lower(" + expression + ")";
    }

    /** Where an attribute path is evaluated: on the resource, inside one element of a multi-valued attribute, or in a relation. */
    record Scope(Attribute parent, String element, SqlMapping.Relation relation) {

        static final Scope ROOT = new Scope(null, null, null);
    }

    @Override
    public String visit(AndFilter filter, Scope scope) throws com.unboundid.scim2.common.exceptions.ScimException {
        return combine(filter.getCombinedFilters(), " and ", scope);
    }

    @Override
    public String visit(OrFilter filter, Scope scope) throws com.unboundid.scim2.common.exceptions.ScimException {
        return combine(filter.getCombinedFilters(), " or ", scope);
    }

    @Override
    public String visit(NotFilter filter, Scope scope) throws com.unboundid.scim2.common.exceptions.ScimException {
        // a missing attribute makes the inner condition NULL; "not" must then be true, as SCIM reads it
        return "not coalesce(" + filter.getInvertedFilter().visit(this, scope) + ", false)";
    }

    @Override
    public String visit(ComplexValueFilter filter, Scope scope)
            throws com.unboundid.scim2.common.exceptions.ScimException {
        if (scope != Scope.ROOT) {
            throw ScimException.invalidFilter("Value filters cannot be nested.");
        }
        Resolved resolved = resolve(filter.getAttributePath());
        if (!resolved.attribute().multiValued() || resolved.sub() != null) {
            throw ScimException.invalidFilter("'" + filter.getAttributePath()
                    + "' is not a multi-valued attribute; [ ] filters apply to those only.");
        }
        String elements = inElements(resolved, element -> filter.getValueFilter().visit(this, element));
        // "emails[type eq "work" and value eq "x"]" implies "emails.value eq x": let its index narrow the rows first
        String indexed = mapping.equalityIndex().get(resolved.attribute().name() + ".value");
        ValueNode value = indexed == null ? null : valueEquality(filter.getValueFilter());
        return value == null ? elements
                : "(" + indexed.formatted(parameter(value.asText().toLowerCase(Locale.ROOT))) + " and " + elements
                        + ")";
    }

    /** The value of a {@code value eq "x"} that must hold for the whole value filter to hold, if there is one. */
    private static ValueNode valueEquality(Filter filter) {
        if (filter.getFilterType() == FilterType.AND) {
            return filter.getCombinedFilters().stream().map(SqlFilter::valueEquality)
                    .filter(Objects::nonNull).findFirst().orElse(null);
        }
        boolean valueEq = filter.getFilterType() == FilterType.EQUAL && filter.getAttributePath().size() == 1
                && filter.getAttributePath().getElement(0).getAttribute().equalsIgnoreCase("value")
                && filter.getComparisonValue() != null && filter.getComparisonValue().isTextual();
        return valueEq ? filter.getComparisonValue() : null;
    }

    @Override
    public String visit(PresentFilter filter, Scope scope) throws com.unboundid.scim2.common.exceptions.ScimException {
        Path path = filter.getAttributePath();
        if (scope == Scope.ROOT) {
            Resolved resolved = resolve(path);
            if (resolved.attribute().multiValued()) {
                return inElements(resolved, element -> resolved.sub() == null ? "true"
                        : present(expression(element, resolved.sub()), resolved.sub()));
            }
            return present(expression(resolved), resolved.target());
        }
        Attribute sub = subAttribute(scope, path);
        return present(expression(scope, sub), sub);
    }

    @Override
    public String visit(EqualFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    @Override
    public String visit(NotEqualFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    @Override
    public String visit(ContainsFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    @Override
    public String visit(StartsWithFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    @Override
    public String visit(EndsWithFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    @Override
    public String visit(GreaterThanFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    @Override
    public String visit(GreaterThanOrEqualFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    @Override
    public String visit(LessThanFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    @Override
    public String visit(LessThanOrEqualFilter filter, Scope scope) {
        return compare(filter, scope);
    }

    private String combine(List<Filter> filters, String operator, Scope scope)
            throws com.unboundid.scim2.common.exceptions.ScimException {
        StringBuilder sql = new StringBuilder("(");
        for (int i = 0; i < filters.size(); i++) {
            sql.append(i == 0 ? "" : operator).append(filters.get(i).visit(this, scope));
        }
        return sql.append(')').toString();
    }

    private String compare(Filter filter, Scope scope) {
        Path path = filter.getAttributePath();
        FilterType operator = filter.getFilterType();
        ValueNode value = filter.getComparisonValue();
        if (scope != Scope.ROOT) {
            Attribute sub = subAttribute(scope, path);
            return condition(expression(scope, sub), sub, operator, value);
        }
        Resolved resolved = resolve(path);
        if (resolved.attribute().name().equals("schemas") || isSchemas(path)) {
            return schemas(operator, value);
        }
        if (!resolved.attribute().multiValued()) {
            return condition(expression(resolved), resolved.target(), operator, value);
        }
        // "emails eq x" compares the value sub-attribute (RFC 7644 §3.4.2.2); some comparisons have an index
        Attribute sub = resolved.sub() != null ? resolved.sub()
                : resolved.attribute().subAttribute("value").orElseThrow();
        String indexed = mapping.equalityIndex().get(resolved.attribute().name() + "." + sub.name());
        if (indexed != null && operator == FilterType.EQUAL && value.isTextual()) {
            return indexed.formatted(parameter(value.asText().toLowerCase(Locale.ROOT)));
        }
        return inElements(resolved, element -> condition(expression(element, sub), sub, operator, value));
    }

    /** The condition for one comparison, typed by the attribute's definition. */
    private String condition(String expression, Attribute attribute, FilterType operator, ValueNode value) {
        if (value == null || value.isNull()) {
            return switch (operator) {
                case EQUAL -> expression + " is null";
                case NOT_EQUAL -> expression + " is not null";
                default -> throw ScimException.invalidFilter("'" + attribute.name() + "' can only be compared with "
                        + "null by eq or ne.");
            };
        }
        return switch (attribute.type()) {
            case BOOLEAN -> booleanCondition(expression, attribute, operator, value);
            case DATE_TIME -> dateCondition(expression, attribute, operator, value);
            case COMPLEX -> throw ScimException.invalidFilter("'" + attribute.name()
                    + "' is complex; compare one of its sub-attributes.");
            default -> textCondition(expression, attribute, operator, value);
        };
    }

    private String textCondition(String expression, Attribute attribute, FilterType operator, ValueNode value) {
        if (!value.isTextual()) {
            throw ScimException.invalidFilter("'" + attribute.name() + "' is a string; compare it with a string.");
        }
        boolean ignoreCase = !attribute.caseExact();
        String text = ignoreCase ? value.asText().toLowerCase(Locale.ROOT) : value.asText();
        String left = ignoreCase ? "lower(" + expression + ")" : expression;
        return switch (operator) {
            case EQUAL -> left + " = " + parameter(text);
            case NOT_EQUAL -> left + " is distinct from " + parameter(text);
            case CONTAINS -> left + " like " + parameter("%" + escapeLike(text) + "%") + " escape '\\'";
            case STARTS_WITH -> left + " like " + parameter(escapeLike(text) + "%") + " escape '\\'";
            case ENDS_WITH -> left + " like " + parameter("%" + escapeLike(text)) + " escape '\\'";
            case GREATER_THAN -> left + " > " + parameter(text);
            case GREATER_OR_EQUAL -> left + " >= " + parameter(text);
            case LESS_THAN -> left + " < " + parameter(text);
            case LESS_OR_EQUAL -> left + " <= " + parameter(text);
            default -> throw ScimException.invalidFilter("Unsupported operator " + operator + ".");
        };
    }

    private String booleanCondition(String expression, Attribute attribute, FilterType operator, ValueNode value) {
        Boolean flag = value.isBoolean() ? Boolean.valueOf(value.booleanValue())
                : value.isTextual() && value.asText().matches("(?i)true|false")
                        ? Boolean.valueOf(value.asText().toLowerCase(Locale.ROOT))
                : null;
        if (flag == null) {
            throw ScimException
                    .invalidFilter("'" + attribute.name() + "' is a boolean; compare it with true or false.");
        }
        return switch (operator) {
            case EQUAL -> expression + " = " + parameter(flag);
            case NOT_EQUAL -> expression + " is distinct from " + parameter(flag);
            default -> throw ScimException.invalidFilter("'" + attribute.name() + "' is a boolean; only eq, ne and pr "
                    + "apply to it.");
        };
    }

    private String dateCondition(String expression, Attribute attribute, FilterType operator, ValueNode value) {
        OffsetDateTime instant;
        try {
            instant = OffsetDateTime.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw ScimException.invalidFilter("'" + attribute.name() + "' is a dateTime; compare it with one, e.g. "
                    + "\"2026-01-31T12:00:00Z\".");
        }
        String symbol = switch (operator) {
            case EQUAL -> " = ";
            case NOT_EQUAL -> " is distinct from ";
            case GREATER_THAN -> " > ";
            case GREATER_OR_EQUAL -> " >= ";
            case LESS_THAN -> " < ";
            case LESS_OR_EQUAL -> " <= ";
            default -> throw ScimException.invalidFilter("'" + attribute.name() + "' is a dateTime; co, sw and ew do "
                    + "not apply to it.");
        };
        return expression + symbol + parameter(instant);
    }

    private String schemas(FilterType operator, ValueNode value) {
        if ((operator != FilterType.EQUAL && operator != FilterType.NOT_EQUAL) || !value.isTextual()) {
            throw ScimException.invalidFilter("'schemas' can only be compared by eq or ne with a schema URN.");
        }
        String urn = value.asText();
        String has = urn.equalsIgnoreCase(mapping.type().core().id()) ? "true"
                : mapping.type().extension(urn).map(extension -> mapping.alias() + ".attributes ? '"
                        + extension.id() + "'").orElse("false");
        return operator == FilterType.EQUAL ? has : "not " + has;
    }

    private static boolean isSchemas(Path path) {
        return path.size() == 1 && path.getSchemaUrn() == null
                && path.getElement(0).getAttribute().equalsIgnoreCase("schemas");
    }

    private String present(String expression, Attribute attribute) {
        return attribute.type() == Attribute.Type.STRING || attribute.type() == Attribute.Type.REFERENCE
                ? "coalesce(" + expression + ", '') <> ''" : expression + " is not null";
    }

    /** {@code exists} over the elements of a multi-valued attribute, with the condition built per element. */
    private String inElements(Resolved resolved, ElementCondition condition) {
        String name = resolved.attribute().name();
        SqlMapping.Relation relation = mapping.relations().get(name);
        try {
            if (relation != null) {
                return relation.exists() + " and " + condition.build(new Scope(resolved.attribute(), null, relation))
                        + ")";
            }
            String alias = "e" + (++elements);
            String source = resolved.inExtension(mapping.type())
                    ? mapping.alias() + ".attributes -> '" + resolved.schema().id() + "' -> '" + name + "'"
                    : mapping.alias() + ".attributes -> '" + name + "'";
            return "exists (select 1 from jsonb_array_elements(case when jsonb_typeof(" + source
                    + ") = 'array' then " + source + " else '[]'::jsonb end) " + alias + "(v) where "
                    + condition.build(new Scope(resolved.attribute(), alias + ".v", null)) + ")";
        } catch (com.unboundid.scim2.common.exceptions.ScimException e) {
            throw ScimException.invalidFilter(e.getMessage());
        }
    }

    @FunctionalInterface
    private interface ElementCondition {

        String build(Scope element) throws com.unboundid.scim2.common.exceptions.ScimException;
    }

    /** Inside a value filter, attribute names are the multi-valued attribute's sub-attributes. */
    private static Attribute subAttribute(Scope scope, Path path) {
        if (path.size() != 1 || path.getElement(0).getValueFilter() != null) {
            throw ScimException.invalidFilter("Inside [ ], name a sub-attribute of '" + scope.parent().name() + "'.");
        }
        String name = path.getElement(0).getAttribute();
        return scope.parent().subAttribute(name).orElseThrow(() -> ScimException.invalidFilter(
                "'" + scope.parent().name() + "' has no sub-attribute '" + name + "'."));
    }

    private String expression(Scope scope, Attribute sub) {
        if (scope.relation() != null) {
            String expression = scope.relation().subAttributes().get(sub.name());
            if (expression == null) {
                throw ScimException.invalidFilter("Filtering on '" + scope.parent().name() + "." + sub.name()
                        + "' is not supported.");
            }
            return expression;
        }
        return typed("(" + scope.element() + " ->> '" + sub.name() + "')", sub);
    }

    /** The SQL expression of a single-valued attribute or sub-attribute of the resource. */
    private String expression(Resolved resolved) {
        String key = key(resolved);
        String column = mapping.columns().get(key);
        if (column != null) {
            return column;
        }
        if (resolved.attribute().name().equals("meta")) {
            throw ScimException.invalidFilter("Filtering on 'meta." + resolved.target().name() + "' is not supported.");
        }
        if (resolved.attribute().isReadOnly()) {
            throw ScimException.invalidFilter("Filtering on '" + key + "' is not supported.");
        }
        List<String> path = new ArrayList<>();
        if (resolved.inExtension(mapping.type())) {
            path.add(resolved.schema().id());
        }
        path.add(resolved.attribute().name());
        if (resolved.sub() != null) {
            path.add(resolved.sub().name());
        }
        return typed(mapping.document(path.toArray(String[]::new)), resolved.target());
    }

    private static String typed(String text, Attribute attribute) {
        return switch (attribute.type()) {
            case BOOLEAN -> text + "::boolean";
            case DATE_TIME -> text + "::timestamptz";
            default -> text;
        };
    }

    private String key(Resolved resolved) {
        String name = resolved.attribute().name() + (resolved.sub() != null ? "." + resolved.sub().name() : "");
        return resolved.inExtension(mapping.type()) ? resolved.schema().id() + ":" + name : name;
    }

    /** Resolves a path against the schema (and the attributes common to all resources). */
    private Resolved resolve(Path path) {
        if (path.size() == 0 || path.size() > 2) {
            throw ScimException.invalidFilter("'" + path + "' is not an attribute path.");
        }
        for (Path.Element element : path) {
            if (element.getValueFilter() != null) {
                throw ScimException.invalidFilter("'" + path + "': a [ ] filter cannot be followed by more path.");
            }
        }
        String name = path.getElement(0).getAttribute();
        String sub = path.size() > 1 ? path.getElement(1).getAttribute() : null;
        String urn = path.getSchemaUrn();
        if (urn == null || urn.equalsIgnoreCase(mapping.type().core().id())) {
            for (Attribute common : ScimSchemas.COMMON) {
                if (common.name().equalsIgnoreCase(name)) {
                    if (sub == null) {
                        return new Resolved(mapping.type().core(), common, null);
                    }
                    return common.subAttribute(sub).map(s -> new Resolved(mapping.type().core(), common, s))
                            .orElseThrow(() -> unknown(path));
                }
            }
            if (name.equalsIgnoreCase("schemas") && sub == null) {
                return new Resolved(mapping.type().core(),
                        Attribute.string("schemas").multiValued().caseExact().build(), null);
            }
        }
        return mapping.type().resolve(urn, name, sub).orElseThrow(() -> unknown(path));
    }

    private static ScimException unknown(Path path) {
        return ScimException.invalidFilter("Unknown attribute '" + path + "'.");
    }

    private String parameter(Object value) {
        parameters.add(value);
        return "$" + parameters.size();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
