package dev.keyway.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The region wiring of {@code deploy/regions.properties}, the one place that says where each service of each region
 * runs on a machine (ports, database, schema, base URL), and the settings that place a service in a region.
 */
public final class LocalRegions {

    private static LocalRegions instance;

    private final Properties properties;

    private LocalRegions(Properties properties) {
        this.properties = properties;
    }

    /** The file of this checkout: under {@code keyway.root} if set, otherwise the nearest folder up that has it. */
    public static synchronized LocalRegions get() {
        if (instance == null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file())) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            instance = new LocalRegions(properties);
        }
        return instance;
    }

    static Path file() {
        String root = System.getProperty("keyway.root");
        if (root != null) {
            return Path.of(root, "deploy", "regions.properties");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("deploy").resolve("regions.properties");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("deploy/regions.properties not found above " + Path.of("").toAbsolutePath());
    }

    public List<String> regions() {
        return list("regions");
    }

    public List<String> services() {
        return list("services");
    }

    public String schema(String service) {
        return value(service + ".schema");
    }

    public int port(String region, String service) {
        return Integer.parseInt(value(region + "." + service + ".port"));
    }

    public int managementPort(String region, String service) {
        return Integer.parseInt(value(region + "." + service + ".management-port"));
    }

    public String database(String region, String service) {
        return value(region + "." + service + ".database");
    }

    /** The service's base URL in the region, as every region's copy of the service names it. */
    public String url(String region, String service) {
        return value(region + "." + service + ".url");
    }

    public int kafkaPort(String region) {
        return Integer.parseInt(value(region + ".kafka.port"));
    }

    /** The settings that make a service one of {@code region}: its region, and its base URL in every region. */
    public static Map<String, String> placement(String region, Map<String, String> urlByRegion) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("keyway.deployment.region", region);
        urlByRegion.forEach((other, url) -> config.put("keyway.deployment.urls." + other, url));
        return config;
    }

    /** {@link #placement} with this file's URLs of {@code service}. */
    public Map<String, String> placement(String region, String service) {
        Map<String, String> urls = new LinkedHashMap<>();
        regions().forEach(each -> urls.put(each, url(each, service)));
        return placement(region, urls);
    }

    private List<String> list(String key) {
        return Arrays.stream(value(key).split(",")).map(String::trim).toList();
    }

    private String value(String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("deploy/regions.properties has no " + key);
        }
        return value.trim();
    }
}
