package dev.fanout.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What stands in front of a platform's REST catalog: an OAuth2 token endpoint ({@code /v1/oauth/tokens},
 * client credentials) and a gate that answers 401 to any call without a valid bearer token, forwarding the
 * rest over real HTTP to Iceberg's REST catalog server (which checks no token itself).
 */
public final class AuthGateway implements AutoCloseable {
  private final HttpServer http;
  private final HttpClient client = HttpClient.newHttpClient();
  private final String upstream;
  private final String clientId;
  private final String clientSecret;
  private final Set<String> valid = ConcurrentHashMap.newKeySet();
  private final AtomicInteger exchanges = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  private AuthGateway(String upstream, String token, String clientId, String clientSecret) throws IOException {
    this.upstream = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    valid.add(token);
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", this::handle);
    http.start();
  }

  /** A gateway to {@code upstream} that takes {@code token}, and issues tokens for {@code clientId:clientSecret}. */
  public static AuthGateway start(String upstream, String token, String clientId, String clientSecret) {
    try {
      return new AuthGateway(upstream, token, clientId, clientSecret);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String uri() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
  }

  public String tokenEndpoint() {
    return uri() + "v1/oauth/tokens";
  }

  /** Client credentials exchanged for a token so far. */
  public int exchanges() {
    return exchanges.get();
  }

  /** Calls answered 401 so far. */
  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (ex.getRequestURI().getPath().endsWith("/v1/oauth/tokens")) {
        issueToken(ex, new String(body, StandardCharsets.UTF_8));
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ") || !valid.contains(auth.substring(7))) {
        refused.incrementAndGet();
        reply(ex, 401, "{\"error\":{\"message\":\"Not authorized: a valid bearer token is required\","
            + "\"type\":\"NotAuthorizedException\",\"code\":401}}");
        return;
      }
      forward(ex, body);
    }
  }

  private void issueToken(HttpExchange ex, String form) throws IOException {
    Map<String, String> fields = new HashMap<>();
    for (String pair : form.split("&")) {
      String[] kv = pair.split("=", 2);
      fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    if (!"client_credentials".equals(fields.get("grant_type")) || !clientId.equals(fields.get("client_id"))
        || !clientSecret.equals(fields.get("client_secret"))) {
      refused.incrementAndGet();
      reply(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}");
      return;
    }
    String token = "issued-" + UUID.randomUUID();
    valid.add(token);
    exchanges.incrementAndGet();
    reply(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\","
        + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\",\"expires_in\":3600}");
  }

  private void forward(HttpExchange ex, byte[] body) throws IOException {
    URI target = URI.create(upstream + ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
    HttpRequest.Builder request = HttpRequest.newBuilder(target)
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      request.header("Content-Type", type);
    }
    try {
      HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      response.headers().firstValue("Content-Type").ifPresent(t -> ex.getResponseHeaders().set("Content-Type", t));
      ex.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
      ex.getResponseBody().write(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
