package dev.fanout.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page as a person sees it: Debian's Chromium, headless and with JavaScript switched off,
 * opens the page of a server whose queue holds a done, a failed (flagged) and a new copy job. Skipped
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

  private static String page(String query) {
    return "http://127.0.0.1:" + api.port() + "/" + query;
  }

  @Test
  void theStatusPageShowsTheServerTheLagAndTheLatestJobs() {
    browser.get(page("?token=" + queue.token));

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
    assertThat(lagCells.get(5).getText()).isNotEqualTo("-");

    WebElement newJob = browser.findElement(By.cssSelector("#jobs tr[data-job-id='" + queue.newJob + "']"));
    assertThat(newJob.getAttribute("data-state")).isEqualTo("NEW");
    assertThat(newJob.getText()).contains("sales.orders").contains("NEW").doesNotContain("flagged");
    assertThat(browser.findElements(By.cssSelector("#jobs tr[data-job-id]"))).hasSize(3);
  }

  @Test
  void aFlaggedJobIsMarkedAndItsErrorShownAsText() {
    browser.get(page("?token=" + queue.token));

    WebElement failed = browser.findElement(By.cssSelector("#jobs tr[data-job-id='" + queue.failedJob + "']"));
    assertThat(failed.getAttribute("class")).isEqualTo("flagged");
    assertThat(failed.getAttribute("data-state")).isEqualTo("FAILED");
    assertThat(failed.getText()).contains("FAILED flagged");
    // the error holds markup; it must arrive as text, not as elements
    assertThat(failed.getText()).contains(ApiServerTest.Queue.ERROR);
    assertThat(failed.findElements(By.tagName("b"))).isEmpty();
  }

  @Test
  void withoutTheTokenThePageShowsTheRefusalAndNoJobs() {
    browser.get(page(""));
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("The API token is missing");
    assertThat(browser.findElements(By.id("jobs"))).isEmpty();

    browser.get(page("?token=fo1_" + "A".repeat(43)));
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("The API token is unknown");
    assertThat(browser.findElements(By.id("jobs"))).isEmpty();
  }
}
