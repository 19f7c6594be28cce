package dev.keyway.scim.protocol.filter;

import java.util.Map;

import dev.keyway.scim.protocol.schema.ResourceType;

/**
 * How one resource type lives in SQL, for filters and sorting: the table alias, the attributes kept in columns
 * (keyed {@code name}, {@code name.sub} or {@code urn:…:name}), the multi-valued attributes kept in a table of their
 * own, and everything else in the {@code attributes} jsonb column of the canonical document.
 *
 * @param columns       canonical key to a typed SQL expression
 * @param relations     multi-valued attributes backed by a join (user groups, group members)
 * @param equalityIndex canonical key to a condition that answers {@code eq} from an index; {@code %s} is the parameter
 */
public record SqlMapping(
        ResourceType type,
        String alias,
        Map<String, String> columns,
        Map<String, Relation> relations,
        Map<String, String> equalityIndex) {

    /**
     * A multi-valued attribute stored in its own table.
     *
     * @param exists        {@code exists (select 1 from … where <link>} without the closing parenthesis
     * @param subAttributes sub-attribute name to SQL expression inside that subquery
     */
    public record Relation(String exists, Map<String, String> subAttributes) {
    }

    /** The jsonb text of an attribute of the canonical document. */
    public String document(String... keys) {
        StringBuilder sql = new StringBuilder(alias).append(".attributes");
        for (int i = 0; i < keys.length; i++) {
            sql.append(i == keys.length - 1 ? " ->> '" : " -> '").append(keys[i]).append('\'');
        }
        return "(" + sql + ")";
    }
}
