package dev.fanout.load;

import dev.fanout.failure.BadInputException;
import dev.fanout.metadata.ConfigurationRepository;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which Iceberg catalog an instance's lake tables live in, chosen at {@code init} and kept in its metadata
 * database ({@code configuration}), so another instance that opens it as a remote finds the same catalog:
 * {@code jdbc} (Iceberg's JdbcCatalog in the metadata database), {@code rest} (an Iceberg REST catalog at
 * a URI) or {@code hive} (Iceberg's HiveCatalog on a Hive Metastore at thrift URIs), the last two with Iceberg's
 * own catalog properties.
 */
public record CatalogChoice(Kind kind, String uri, Map<String, String> properties) {
  public enum Kind { JDBC, REST, HIVE }

  public static final CatalogChoice JDBC = new CatalogChoice(Kind.JDBC, null, Map.of());
  static final String KIND_KEY = "lake.catalog";
  static final String URI_KEY = "lake.catalog.uri";
  static final String PROPERTY_PREFIX = "lake.catalog.property.";
  /** Set by Fanout itself, or secrets that must not travel on a command line. */
  private static final Set<String> NOT_SETTABLE = Set.of("uri", "io-impl", "catalog-impl", "type", "credential",
      "token", "password", "jdbc.password", "rest.auth.basic.password");

  public CatalogChoice {
    properties = Map.copyOf(properties);
  }

  /** The choice a user made at {@code init}; one sentence and exit 2 for a bad one. */
  public static CatalogChoice of(String kind, String uri, Map<String, String> properties) {
    Kind k;
    try {
      k = Kind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("Unknown catalog '" + kind + "'; use jdbc, rest or hive.");
    }
    Map<String, String> props = properties == null ? Map.of() : properties;
    if (k == Kind.JDBC) {
      if (uri != null || !props.isEmpty()) {
        throw new BadInputException("--catalog-uri and --catalog-property go with --catalog rest or hive; the jdbc"
            + " catalog lives in the metadata database.");
      }
      return JDBC;
    }
    if (k == Kind.REST) {
      if (uri == null || !(uri.startsWith("http://") || uri.startsWith("https://"))) {
        throw new BadInputException("--catalog rest needs --catalog-uri http://HOST:PORT/... (the REST catalog's base URI).");
      }
      parse(uri);
    } else {
      checkMetastoreUris(uri);
      if (props.keySet().stream().anyMatch(key -> key.equalsIgnoreCase("warehouse"))) {
        throw new BadInputException("--catalog-property warehouse cannot be set for --catalog hive: the tables go to the"
            + " warehouse directory of the instance's cluster (--fs and --basedir).");
      }
    }
    for (String key : props.keySet()) {
      if (NOT_SETTABLE.contains(key.toLowerCase(Locale.ROOT))) {
        throw new BadInputException("--catalog-property " + key + " cannot be set here: Fanout sets uri and io-impl"
            + " itself, and credentials or tokens on a command line would show in the shell's history.");
      }
    }
    return new CatalogChoice(k, uri, props);
  }

  /** The metastore's URIs as Iceberg's HiveCatalog takes them: thrift://HOST:PORT, several separated by commas. */
  private static void checkMetastoreUris(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new BadInputException("--catalog hive needs --catalog-uri thrift://HOST:PORT (the Hive Metastore's address).");
    }
    for (String one : uri.split(",")) {
      URI parsed = parse(one.trim());
      if (!"thrift".equals(parsed.getScheme()) || parsed.getHost() == null || parsed.getPort() < 0) {
        throw new BadInputException("--catalog hive needs --catalog-uri thrift://HOST:PORT (the Hive Metastore's"
            + " address), not '" + one.trim() + "'.");
      }
    }
  }

  private static URI parse(String uri) {
    try {
      return URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--catalog-uri '" + uri + "' is not a URI: " + e.getMessage() + ".");
    }
  }

  /** The instance's choice as its metadata database keeps it; an instance without one uses jdbc. */
  public static CatalogChoice read(ConfigurationRepository config) {
    Map<String, String> all = config.startingWith(KIND_KEY);
    String kind = all.get(KIND_KEY);
    if (kind == null || kind.equalsIgnoreCase("jdbc")) {
      return JDBC;
    }
    Map<String, String> props = new TreeMap<>();
    all.forEach((key, value) -> {
      if (key.startsWith(PROPERTY_PREFIX)) {
        props.put(key.substring(PROPERTY_PREFIX.length()), value);
      }
    });
    return new CatalogChoice(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), all.get(URI_KEY), props);
  }

  public void write(ConfigurationRepository config) {
    config.set(KIND_KEY, kind.name().toLowerCase(Locale.ROOT), "the lake catalog: jdbc, rest or hive (set by 'fanout init')");
    if (uri != null) {
      config.set(URI_KEY, uri, kind == Kind.HIVE ? "the Hive Metastore's thrift URI" : "the REST catalog's base URI");
    }
    properties.forEach((k, v) -> config.set(PROPERTY_PREFIX + k, v, "an Iceberg catalog property"));
  }

  public String describe() {
    return switch (kind) {
      case JDBC -> "jdbc (Iceberg's JdbcCatalog in the metadata database)";
      case REST -> "rest at " + uri;
      case HIVE -> "hive (Iceberg's HiveCatalog) at " + uri;
    };
  }
}
