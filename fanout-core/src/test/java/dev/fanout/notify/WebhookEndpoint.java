package dev.fanout.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A real HTTP endpoint on 127.0.0.1 that records every POST it receives and answers 200. */
final class WebhookEndpoint implements AutoCloseable {
  record Received(Headers headers, String body, JsonNode json) {
    String event() {
      return json.get("event").asText();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private WebhookEndpoint(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(exchange.getRequestHeaders(), body, JSON.readTree(body)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  static WebhookEndpoint start() {
    return new WebhookEndpoint(0);
  }

  /** On a given port: an endpoint that was down comes back where it was. */
  static WebhookEndpoint startOn(int port) {
    return new WebhookEndpoint(port);
  }

  /** A port nothing listens on (for now). */
  static int freePort() {
    try (WebhookEndpoint e = start()) {
      return e.port();
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port() + "/hook";
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits until {@code count} posts match, or the timeout; returns what matched. */
  List<Received> await(Predicate<Received> match, int count, Duration timeout) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end) && received.stream().filter(match).count() < count) {
      Thread.sleep(100);
    }
    return received.stream().filter(match).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
