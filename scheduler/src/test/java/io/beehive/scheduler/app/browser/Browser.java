package io.beehive.scheduler.app.browser;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by Selenium, as a JUnit
 * extension: register it with {@code @RegisterExtension static final Browser BROWSER = new Browser();}.
 *
 * <ul>
 *   <li>Any error the page's JavaScript logs or throws fails the test that was running ({@link #afterEach}).
 *       Failed HTTP requests the page handles itself (a 422 shown next to a field, a 503 during an election) are
 *       logged by Chromium as network errors: those are not JavaScript errors and do not count.</li>
 *   <li>A failed test leaves a screenshot and the page's HTML in {@code target/browser/}.</li>
 *   <li>Without Chromium the test fails and says what to install: CI installs it ({@code .ci/run}), and a browser
 *       test that skips itself silently tests nothing.</li>
 * </ul>
 * Selenium is pointed at the system chromedriver, so Selenium Manager never tries to download a driver.
 */
public final class Browser implements BeforeEachCallback, AfterEachCallback, TestWatcher, AfterAllCallback {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BEEHIVE_CHROMIUM", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getenv().getOrDefault("BEEHIVE_CHROMEDRIVER",
            "/usr/bin/chromedriver"));
    public static final Path EVIDENCE = Path.of("target", "browser");
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private ChromeDriver driver;
    private final List<String> errors = new ArrayList<>();

    /** The driver, started on first use (so a class whose set-up fails never starts a browser). */
    public WebDriver driver() {
        if (driver == null) {
            driver = start();
        }
        return driver;
    }

    private static ChromeDriver start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The browser tests need Chromium and its driver at " + CHROMIUM + " and "
                    + DRIVER + ": apt-get install -y chromium chromium-driver (as .ci/run does), or point "
                    + "BEEHIVE_CHROMIUM and BEEHIVE_CHROMEDRIVER at them");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(EVIDENCE.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en-GB", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        try {
            Files.createDirectories(EVIDENCE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new ChromeDriver(service, options);
    }

    public void open(String url) {
        driver().get(url);
    }

    public WebElement find(String css) {
        return driver().findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver().findElements(By.cssSelector(css));
    }

    /** Waits for a DOM condition (never a fixed sleep); the message says what was awaited. */
    public <T> T await(String what, Duration atMost, ExpectedCondition<T> condition) {
        // The console redraws a table when a live event arrives: an element found a moment ago may be gone.
        return new WebDriverWait(driver(), atMost, Duration.ofMillis(50)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    public <T> T await(String what, ExpectedCondition<T> condition) {
        return await(what, PATIENCE, condition);
    }

    /** Waits until the element matched by {@code css} exists and its text satisfies the test. */
    public String awaitText(String what, String css, java.util.function.Predicate<String> test) {
        return await(what, d -> d.findElements(By.cssSelector(css)).stream().findFirst().map(WebElement::getText)
                .filter(test).orElse(null));
    }

    /** Clicks the element matched by {@code css}, finding it again if a redraw replaced it. */
    public void click(String css) {
        await("click " + css, d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    /** Types into the field matched by {@code css}, replacing its value, again if a redraw replaced it. */
    public void type(String css, String text) {
        await("type into " + css, d -> {
            WebElement field = d.findElement(By.cssSelector(css));
            field.clear();
            field.sendKeys(text);
            return text.equals(field.getAttribute("value")) ? true : null;
        });
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(js, args);
    }

    public void resize(int width, int height) {
        driver().manage().window().setSize(new Dimension(width, height));
    }

    public Path screenshot(String name) throws IOException {
        Files.createDirectories(EVIDENCE);
        Path file = EVIDENCE.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver()).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** The whole page, however long: the viewport stretched to it through DevTools for one screenshot. */
    public Path fullPageScreenshot(String name) throws IOException {
        ChromeDriver chrome = (ChromeDriver) driver();
        long width = ((Number) script("return document.documentElement.clientWidth;")).longValue();
        long height = ((Number) script("return document.documentElement.scrollHeight;")).longValue();
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", width,
                "height", height, "deviceScaleFactor", 1, "mobile", false));
        try {
            return screenshot(name);
        } finally {
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
        }
    }

    /** JavaScript errors (console.error, uncaught exceptions) logged since the last look. */
    public List<String> javascriptErrors() {
        if (driver == null) {
            return List.of();
        }
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            boolean network = entry.getMessage().contains("Failed to load resource");
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !network) {
                errors.add(entry.getMessage());
            }
        }
        return List.copyOf(errors);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        errors.clear();
        if (driver != null) {
            driver.manage().logs().get(LogType.BROWSER); // what earlier tests left is theirs
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> found = javascriptErrors();
        if (!found.isEmpty()) {
            throw new AssertionError("the page logged JavaScript errors:\n  " + String.join("\n  ", found));
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver == null) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        try {
            screenshot(name);
            Files.writeString(EVIDENCE.resolve(name + ".html"), Optional.ofNullable(driver.getPageSource()).orElse(""),
                    StandardCharsets.UTF_8);
            Files.write(EVIDENCE.resolve(name + ".console.txt"), javascriptErrors(), StandardCharsets.UTF_8);
            System.err.println("Browser evidence of the failed test: " + EVIDENCE.resolve(name).toAbsolutePath()
                    + ".{png,html}");
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not keep the browser's evidence of " + name + ": " + e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }}
