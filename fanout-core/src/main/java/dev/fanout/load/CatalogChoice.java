package dev.fanout.load;

import dev.fanout.failure.BadInputException;
import dev.fanout.metadata.ConfigurationRepository;
import dev.fanout.security.CredentialCipher;
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
public record CatalogChoice(Kind kind, String uri, Map<String, String> properties, Map<String, String> sealedSecrets) {
  public enum Kind { JDBC, REST, HIVE }

  /** The REST catalog's secrets, read from stdin at {@code init} and kept sealed with the instance's key. */
  public enum Secret {
    /** A bearer token, sent as is. */
    TOKEN,
    /** An OAuth2 client credential {@code CLIENT_ID:SECRET}, exchanged for a token at the OAuth2 server. */
    CREDENTIAL;

    public String property() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The secret a user names for {@code choice}; only a REST catalog takes one. */
    public static Secret of(String text, CatalogChoice choice) {
      Secret secret;
      try {
        secret = valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--catalog-secret-stdin takes token or credential, not '" + text + "'.");
      }
      if (choice.kind() != Kind.REST) {
        throw new BadInputException("--catalog-secret-stdin goes with --catalog rest.");
      }
      return secret;
    }
  }

  public static final CatalogChoice JDBC = new CatalogChoice(Kind.JDBC, null, Map.of(), Map.of());
  static final String KIND_KEY = "lake.catalog";
  static final String URI_KEY = "lake.catalog.uri";
  static final String PROPERTY_PREFIX = "lake.catalog.property.";
  static final String SECRET_PREFIX = "lake.catalog.secret.";
  /** Set by Fanout itself, or secrets that must not travel on a command line. */
  private static final Set<String> NOT_SETTABLE = Set.of("uri", "io-impl", "catalog-impl", "type", "credential",
      "token", "password", "jdbc.password", "rest.auth.basic.password");

  public CatalogChoice {
    properties = Map.copyOf(properties);
    sealedSecrets = Map.copyOf(sealedSecrets);
  }

  /** This choice with a secret ({@link Secret#of} checked it goes with this catalog), sealed with the instance's key. */
  public CatalogChoice withSecret(Secret secret, String value, CredentialCipher cipher) {
    if (value.isBlank()) {
      throw new BadInputException("The catalog " + secret.property() + " read from stdin is empty.");
    }
    if (secret == Secret.CREDENTIAL && !value.contains(":")) {
      throw new BadInputException("A catalog credential is CLIENT_ID:SECRET; the line read from stdin has no ':'.");
    }
    Map<String, String> secrets = new TreeMap<>(sealedSecrets);
    secrets.put(secret.property(), cipher.encrypt(value.strip()));
    return new CatalogChoice(kind, uri, properties, secrets);
  }

  /**
   * The catalog properties with the secrets unsealed, for Iceberg only. {@code cipher} is null when a remote
   * instance was added without its key, which then cannot open a catalog that needs one.
   */
  Map<String, String> secretProperties(CredentialCipher cipher, String instance) {
    if (sealedSecrets.isEmpty()) {
      return Map.of();
    }
    if (cipher == null) {
      throw new dev.fanout.failure.NeedsPersonException("The REST catalog of instance '" + instance + "' needs its"
          + " token or credential, sealed with that instance's key, which this instance does not hold; re-add it with"
          + " 'fanout instance add " + instance + " ... --remote-key-file <its fanout.key>'.");
    }
    Map<String, String> out = new TreeMap<>();
    sealedSecrets.forEach((k, v) -> out.put(k, cipher.decrypt(v)));
    return out;
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
            + " itself, and credentials or tokens on a command line would show in the shell's history; give a token"
            + " or credential with --catalog-secret-stdin.");
      }
    }
    return new CatalogChoice(k, uri, props, Map.of());
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
    Map<String, String> secrets = new TreeMap<>();
    all.forEach((key, value) -> {
      if (key.startsWith(PROPERTY_PREFIX)) {
        props.put(key.substring(PROPERTY_PREFIX.length()), value);
      } else if (key.startsWith(SECRET_PREFIX)) {
        secrets.put(key.substring(SECRET_PREFIX.length()), value);
      }
    });
    return new CatalogChoice(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), all.get(URI_KEY), props, secrets);
  }

  public void write(ConfigurationRepository config) {
    config.set(KIND_KEY, kind.name().toLowerCase(Locale.ROOT), "the lake catalog: jdbc, rest or hive (set by 'fanout init')");
    if (uri != null) {
      config.set(URI_KEY, uri, kind == Kind.HIVE ? "the Hive Metastore's thrift URI" : "the REST catalog's base URI");
    }
    properties.forEach((k, v) -> config.set(PROPERTY_PREFIX + k, v, "an Iceberg catalog property"));
    sealedSecrets.forEach((k, v) -> config.set(SECRET_PREFIX + k, v, "the REST catalog's " + k + ", sealed with the instance's key"));
  }

  public String describe() {
    return switch (kind) {
      case JDBC -> "jdbc (Iceberg's JdbcCatalog in the metadata database)";
      case REST -> "rest at " + uri;
      case HIVE -> "hive (Iceberg's HiveCatalog) at " + uri;
    };
  }
}
