package dev.fanout.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.fanout.instance.Instance;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobReports;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page as a person sees it: Debian's Chromium, headless and with JavaScript switched off,
 * logs in with the token and opens the page of a server whose queue holds a done, a failed (flagged) and
 * a new copy job. Screenshots of the pages land in target/screenshots. Skipped
 * when Chromium or its driver is not installed, except under CI (CI=true), where it fails.
 */
class StatusPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir static Path tmp;
  private static ApiServerTest.Queue queue;
  private static ApiServer api;
  private static WebDriver browser;

  @BeforeAll
  static void start() {
    requireChromium();
    queue = new ApiServerTest.Queue(tmp.resolve("instances"));
    // two verifies of sales.orders: of this instance alone (agree), and with b, where it was never copied (differ)
    assertThat(queue.a.run("verify", "--table", "sales.orders", "--instances", "local").code()).isZero();
    assertThat(queue.a.run("verify", "--table", "sales.orders").code()).isEqualTo(1);
    api = queue.startApi();
    // the installed driver, named up front: Selenium Manager never goes to the network for one
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + tmp.resolve("chromium-profile"));
    // the page is rendered on the server and must not need scripts
    options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    browser = new ChromeDriver(options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    browser.manage().window().setSize(new Dimension(1280, 2000));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (api != null) {
      api.stop();
    }
    if (queue != null) {
      queue.close();
    }
  }

  private static void requireChromium() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message = "Chromium or its driver is missing (" + CHROMIUM + ", " + CHROMEDRIVER + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(message + "; under CI the browser tests must run"
          + " (apt-get install chromium chromium-driver).");
    }
    System.err.println("SKIPPED: " + message + "; install them with 'apt-get install chromium chromium-driver'.");
    Assumptions.abort(message);
  }

  private static String page(String path) {
    return "http://127.0.0.1:" + api.port() + "/" + path;
  }

  /** A fresh browser session, logged in as a person does: the token typed into the form. */
  private static void logIn() {
    browser.manage().deleteAllCookies();
    browser.get(page(""));
    browser.findElement(By.id("token")).sendKeys(queue.token);
    browser.findElement(By.cssSelector("#login button[type='submit']")).click();
    awaitElement(By.id("summary"));
  }

  /** A click on a form's button returns before the next page has arrived. */
  private static void awaitElement(By by) {
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(by));
  }

  private static void screenshot(String name) {
    try {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      Files.write(dir.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theStatusPageShowsTheServerTheLagAndTheLatestJobs() {
    logIn();

    assertThat(browser.getTitle()).contains("test-server@localhost");
    assertThat(browser.findElement(By.cssSelector("meta[http-equiv='refresh']")).getAttribute("content")).isEqualTo("5");
    WebElement summary = browser.findElement(By.id("summary"));
    assertThat(summary.getText()).contains("test-server@localhost").contains("Copies are running");
    assertThat(summary.findElement(By.cssSelector("[data-count='NEW']")).getText()).isEqualTo("1");
    assertThat(summary.findElement(By.cssSelector("[data-count='FAILED']")).getText()).isEqualTo("1");
    assertThat(summary.findElement(By.cssSelector("[data-count='DONE']")).getText()).isEqualTo("1");
    assertThat(summary.findElement(By.cssSelector("[data-count='RUNNING']")).getText()).isEqualTo("0");

    WebElement orders = browser.findElement(By.cssSelector("#lag tr[data-table='sales.orders'][data-destination='b']"));
    var lagCells = orders.findElements(By.tagName("td"));
    assertThat(lagCells.get(0).getText()).isEqualTo("sales.orders");
    assertThat(lagCells.get(1).getText()).isEqualTo("b");
    assertThat(Double.parseDouble(lagCells.get(2).getText())).isGreaterThanOrEqualTo(0);
    assertThat(lagCells.get(3).getText()).isEqualTo("1");
    assertThat(lagCells.get(5).getText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(orders.findElement(By.cssSelector("svg.bar")).getAttribute("data-state")).isEqualTo("lagging");
    WebElement customers = browser.findElement(By.cssSelector("#lag tr[data-table='sales.customers'][data-destination='b']"));
    assertThat(customers.findElement(By.cssSelector("svg.bar")).getAttribute("data-state")).isEqualTo("failing");

    WebElement destination = browser.findElement(By.cssSelector("#destinations tr[data-destination='b']"));
    assertThat(destination.findElements(By.tagName("td")).get(1).getText()).isEqualTo("2");
    assertThat(destination.findElements(By.tagName("td")).get(5).getText()).isEqualTo("1");
    assertThat(browser.findElement(By.cssSelector("#tables tr[data-table='sales.orders']")).getText())
        .contains("200").contains("not scheduled");

    WebElement newJob = browser.findElement(By.cssSelector("#jobs tr[data-job-id='" + queue.newJob + "']"));
    assertThat(newJob.getAttribute("data-state")).isEqualTo("NEW");
    assertThat(newJob.getText()).contains("sales.orders").contains("NEW").doesNotContain("flagged");
    assertThat(browser.findElements(By.cssSelector("#jobs tr[data-job-id]"))).hasSize(3);
    screenshot("status-page.png");
  }

  @Test
  void theChartDrawsEachDestinationsLagFromItsJobs() {
    logIn();

    WebElement chart = browser.findElement(By.id("lag-chart"));
    List<WebElement> series = chart.findElements(By.cssSelector("g.series"));
    assertThat(series).extracting(g -> g.getAttribute("data-destination")).containsExactly("b");
    // a point where each job was created or finished, and now
    List<CopyJob> jobs;
    try (Instance a = queue.openA()) {
      jobs = new CopyJobReports(a.transactions()).list(CopyJobFilter.all());
    }
    Set<Instant> times = new HashSet<>();
    jobs.forEach(j -> {
      times.add(j.created());
      if (j.finished() != null) {
        times.add(j.finished());
      }
    });
    List<WebElement> points = series.get(0).findElements(By.cssSelector("circle.point"));
    assertThat(points).hasSize(times.size() + 1);
    // now, b waits for the failed copy of sales.customers: the oldest job not finished
    Instant now = Instant.parse(chart.getAttribute("data-now"));
    Instant failedCreated = jobs.stream().filter(j -> j.id() == queue.failedJob).findFirst().orElseThrow().created();
    long lag = Long.parseLong(points.get(points.size() - 1).getAttribute("data-lag-seconds"));
    assertThat(lag).isBetween(Duration.between(failedCreated, now).getSeconds() - 1,
        Duration.between(failedCreated, now).getSeconds() + 1);
    // before the done job was created, nothing was waiting
    assertThat(points.get(0).getAttribute("data-lag-seconds")).isEqualTo("0");
    assertThat(chart.getText()).contains("time (UTC)").contains("b");
  }

  @Test
  void aFlaggedJobIsListedFirstWithItsErrorAsTextAndARetryButton() {
    logIn();

    WebElement failing = browser.findElement(By.id("failing"));
    WebElement row = failing.findElement(By.cssSelector("tr[data-job-id='" + queue.failedJob + "']"));
    assertThat(row.getAttribute("class")).isEqualTo("flagged");
    // the error holds markup; it must arrive as text, not as elements
    assertThat(row.getText()).contains(ApiServerTest.Queue.ERROR).contains("sales.customers");
    assertThat(row.findElements(By.tagName("b"))).isEmpty();

    WebElement failed = browser.findElement(By.cssSelector("#jobs tr[data-job-id='" + queue.failedJob + "']"));
    assertThat(failed.getAttribute("class")).isEqualTo("flagged");
    assertThat(failed.getAttribute("data-state")).isEqualTo("FAILED");
    assertThat(failed.getText()).contains("FAILED flagged").contains(ApiServerTest.Queue.ERROR);
    assertThat(failed.findElements(By.tagName("b"))).isEmpty();
  }

  @Test
  void theRetryButtonMakesTheFailedJobDueNowAndComesBackToThePage() {
    logIn();
    int wakes = queue.status.wakes.get();

    WebElement button = browser.findElement(By.cssSelector("#failing tr[data-job-id='" + queue.failedJob + "'] button.retry"));
    button.click();
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(button));
    awaitElement(By.id("failing"));

    assertThat(browser.getCurrentUrl()).isEqualTo(page(""));
    assertThat(browser.findElement(By.id("failing")).getText()).contains(ApiServerTest.Queue.ERROR);
    try (Instance a = queue.openA()) {
      CopyJob job = new CopyJobReports(a.transactions()).require(queue.failedJob);
      assertThat(Instant.ofEpochMilli(job.nextAttemptMillis())).isBefore(Instant.now().plusSeconds(1));
    }
    assertThat(queue.status.wakes.get()).isEqualTo(wakes + 1);
  }

  @Test
  void aTablesPageShowsItsImportsCopiesAndVerifies() {
    logIn();
    browser.findElement(By.cssSelector("#tables tr[data-table='sales.orders'] a")).click();
    awaitElement(By.id("table-name"));

    assertThat(browser.getCurrentUrl()).isEqualTo(page("tables/sales.orders"));
    assertThat(browser.findElement(By.id("table-name")).getText()).isEqualTo("sales.orders");
    assertThat(browser.findElements(By.cssSelector("#imports tr[data-import-id]"))).hasSize(2);
    assertThat(browser.findElements(By.cssSelector("#copies tr[data-job-id]"))).extracting(r -> r.getAttribute("data-job-id"))
        .containsExactly(String.valueOf(queue.newJob), String.valueOf(queue.doneJob));
    List<WebElement> verifies = browser.findElements(By.cssSelector("#verifies tr[data-outcome]"));
    assertThat(verifies).extracting(r -> r.getAttribute("data-outcome")).containsExactly("differ", "agree");
    assertThat(verifies.get(0).getText()).contains("local, b").contains("b cannot be read").contains("local=200");
    assertThat(verifies.get(1).getText()).contains("local").contains("local=200");
    screenshot("table-page.png");

    browser.get(page("tables/not-a-table"));
    assertThat(browser.findElement(By.id("message")).getText())
        .isEqualTo("Target 'not-a-table' is not of the form db.table.");
  }

  @Test
  void aTokenInTheUrlDoesNotOpenThePage() {
    browser.manage().deleteAllCookies();
    browser.get(page("?token=" + queue.token));

    assertThat(browser.findElements(By.id("login"))).hasSize(1);
    assertThat(browser.findElements(By.id("jobs"))).isEmpty();
    assertThat(browser.manage().getCookies()).isEmpty();
  }

  @Test
  void aWrongTokenInTheFormIsRefusedWithTheReason() {
    browser.manage().deleteAllCookies();
    browser.get(page(""));
    browser.findElement(By.id("token")).sendKeys("fo1_" + "A".repeat(43));
    browser.findElement(By.cssSelector("#login button[type='submit']")).click();
    awaitElement(By.id("refusal"));

    assertThat(browser.findElement(By.id("refusal")).getText())
        .isEqualTo("The API token is unknown to this instance; make one with 'fanout token create'.");
    assertThat(browser.findElements(By.id("jobs"))).isEmpty();
    assertThat(browser.manage().getCookies()).isEmpty();
  }

  @Test
  void theSessionCookieIsHttpOnlyAndSameSiteStrictAndLogOutEndsIt() {
    logIn();

    Cookie session = browser.manage().getCookieNamed("fanout_session");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(session.getPath()).isEqualTo("/");
    assertThat(session.getValue()).isNotEqualTo(queue.token).doesNotContain(queue.token.substring(4, 20));

    browser.findElement(By.id("logout")).click();
    awaitElement(By.id("login"));
    assertThat(browser.findElements(By.id("login"))).hasSize(1);
    assertThat(browser.manage().getCookieNamed("fanout_session")).isNull();
    // the old session id is dead on the server too
    browser.manage().addCookie(new Cookie("fanout_session", session.getValue(), "/"));
    browser.get(page(""));
    assertThat(browser.findElements(By.id("login"))).hasSize(1);
  }
}
