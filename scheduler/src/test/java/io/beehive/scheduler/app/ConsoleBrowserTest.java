package io.beehive.scheduler.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.beehive.scheduler.app.browser.Browser;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real headless Chromium against the real application (one replica, the leader) on a real
 * ZooKeeper and the local Mesos cluster running tasks as processes. Every step is done as an operator would, with
 * the page's own controls, and checked on the page without reloading it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the overview's picture shows the jobs the first test made
class ConsoleBrowserTest {
    @RegisterExtension
    static final SingleReplicaApp APP = SingleReplicaApp.active();
    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @Test
    @Order(1)
    void createWithTheFormScaleKillAndSeeTheReplacementWithoutAReload() {
        BROWSER.open(APP.api("/#/jobs"));
        BROWSER.await("the create form", d -> d.findElement(By.id("create-job")));
        // A marker that only survives if the page is never reloaded.
        BROWSER.script("window.stillTheSamePage = true;");

        // First with an invalid field: the API's 422 message appears next to that field, and nothing is created.
        type("field-id", "web");
        type("field-command", "echo console-says-hello; sleep 600");
        type("field-instances", "-1");
        BROWSER.click("#create-submit");
        String error = BROWSER.awaitText("the error next to the instances field", "#error-instances",
                t -> !t.isBlank());
        assertThat(error).contains("instances");
        assertThat(BROWSER.find("#field-instances").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(BROWSER.find("#field-instances").getAttribute("aria-describedby")).contains("error-instances");
        assertThat(BROWSER.find("#error-id").getText()).as("no error for a valid field").isEmpty();
        assertThat(Http.get(APP.api("/v1/jobs/web")).statusCode()).as("the invalid job was not created").isEqualTo(404);

        type("field-instances", "1");
        BROWSER.click("#create-submit");
        BROWSER.awaitText("the field's error cleared", "#error-instances", String::isEmpty);
        BROWSER.awaitText("the job's running count", "tr[data-job='web'] td.running", "1"::equals);

        // Scale it from its row.
        type("scale-web", "2");
        BROWSER.click("tr[data-job='web'] button[aria-label='Scale web']");
        BROWSER.awaitText("two running after scaling", "tr[data-job='web'] td.running", "2"::equals);
        assertThat(Http.json(Http.get(APP.api("/v1/jobs/web"))).path("instances").asInt()).isEqualTo(2);

        // Its tasks, then kill one: the replacement appears on the page by itself.
        BROWSER.click("tr[data-job='web'] a");
        Set<String> before = BROWSER.await("two RUNNING task rows", d -> {
            Set<String> ids = runningTaskRows();
            return ids.size() == 2 ? ids : null;
        });
        String victim = before.iterator().next();
        BROWSER.click("tr[data-task='" + victim + "'] button[aria-label='Kill " + victim + "']");
        Set<String> after = BROWSER.await("a replacement RUNNING beside the survivor", d -> {
            Set<String> ids = runningTaskRows();
            return ids.size() == 2 && !ids.contains(victim) ? ids : null;
        });
        assertThat(after).doesNotContain(victim).containsAnyElementsOf(before);
        BROWSER.awaitText("the killed task's state", "tr[data-task='" + victim + "'] td.state",
                s -> s.equals("killed"));
        assertThat(BROWSER.script("return window.stillTheSamePage === true;")).as("the page was never reloaded")
                .isEqualTo(true);
        assertThat(BROWSER.find("#live-state").getText()).isEqualTo("live");
    }

    @Test
    @Order(2)
    void overviewNamesTheLeaderItsReplicaAndTheFailoverThatMadeIt() throws Exception {
        JsonNode state = Http.json(Http.get(APP.api("/v1/state")));
        String self = state.path("self").asText();
        BROWSER.open(APP.api("/"));
        BROWSER.awaitText("the header names the leader", "#leader-name", self::equals);
        BROWSER.awaitText("the overview names the leader", "#overview-leader", self::equals);
        BROWSER.awaitText("the FrameworkID", "#overview-framework", state.path("frameworkId").asText()::equals);
        BROWSER.awaitText("the replica's role", "tr[data-replica='" + self + "'] td:nth-child(2)", "leader"::equals);
        String epoch = state.path("termEpoch").asText();
        BROWSER.awaitText("this term's fail-over", "tr[data-epoch='" + epoch + "'] td:nth-child(6)",
                "first leader"::equals);
        // README's picture of the console (scheduler/docs/console.png is a copy of it), the whole page.
        Path shot = BROWSER.fullPageScreenshot("console-overview");
        assertThat(Files.size(shot)).isPositive();

        // Times are shown in the viewer's zone, whatever the server's: a viewer in Auckland sees Auckland's clock.
        String zone = "Pacific/Auckland";
        ((ChromeDriver) BROWSER.driver()).executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
        try {
            BROWSER.driver().navigate().refresh();
            // Read at once: a redraw (the stream reconnecting after the reload) may replace the element.
            List<String> since = BROWSER.await("the leader's start time", d -> d.findElements(
                    By.cssSelector("#overview-facts time")).stream().findFirst().map(t -> List.of(
                    t.getAttribute("title"), t.getAttribute("datetime"), t.getText())).orElse(null));
            assertThat(since.get(0)).isEqualTo(zone);
            ZonedDateTime there = Instant.parse(since.get(1)).atZone(ZoneId.of(zone));
            assertThat(since.get(2)).containsAnyOf(there.format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                    there.format(DateTimeFormatter.ofPattern("h:mm:ss")));
        } finally {
            ((ChromeDriver) BROWSER.driver()).executeCdpCommand("Emulation.setTimezoneOverride",
                    Map.of("timezoneId", ""));
        }
    }

    @Test
    @Order(3)
    void everyControlHasALabelAndA375PixelScreenNeedsNoSidewaysScrolling() {
        try {
            BROWSER.resize(375, 800);
            for (String page : List.of("/#/", "/#/jobs", "/#/agents", "/#/events")) {
                BROWSER.open(APP.api(page));
                BROWSER.await("the page drawn: " + page, d -> d.findElements(By.cssSelector("main h1")).isEmpty()
                        ? null : true);
                BROWSER.await("nothing loading on " + page, d -> d.findElements(
                        By.cssSelector("[aria-busy='true']")).isEmpty() ? true : null);
                Object unlabelled = BROWSER.script("return [...document.querySelectorAll('input, select, textarea')]"
                        + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id);");
                assertThat((List<?>) unlabelled).as("controls without a label on " + page).isEmpty();
                Object width = BROWSER.script("return document.documentElement.scrollWidth;");
                Object wide = BROWSER.script("return [...document.querySelectorAll('body *')]"
                        + ".filter(e => e.getBoundingClientRect().right > innerWidth && !e.closest('.table-wrap'))"
                        + ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5);");
                assertThat(((Number) width).intValue()).as("page width at 375 px on " + page + "; too wide: " + wide)
                        .isLessThanOrEqualTo(375);
            }
            // The keyboard reaches the navigation first, through the skip link.
            WebElement first = BROWSER.find("body");
            first.sendKeys(org.openqa.selenium.Keys.TAB);
            assertThat(BROWSER.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("skip-link");
            BROWSER.driver().switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
            assertThat(BROWSER.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("main");
            assertThat(BROWSER.find("main h1").getText()).as("the page stays").isEqualTo("Events");
        } finally {
            BROWSER.resize(1280, 1000);
        }
    }

    @Test
    @Order(4)
    void theBlacklistSwitchOfAnAgentGoesBothWays() {
        BROWSER.open(APP.api("/#/agents"));
        String agent = BROWSER.await("an agent that ran the web job's tasks", d -> BROWSER.findAll("tr[data-agent]")
                .stream().map(r -> r.getAttribute("data-agent")).findFirst().orElse(null));
        String row = "tr[data-agent='" + agent + "']";
        BROWSER.type("#reason-" + agent, "disk failing");
        BROWSER.click(row + " button[aria-label='Blacklist " + agent + "']");
        BROWSER.awaitText("the agent shown blacklisted", row + " td:nth-child(4)", t -> t.startsWith("yes (disk failing)"));
        JsonNode listed = Http.json(Http.get(APP.api("/v1/agents")));
        assertThat(listed.findValues("agentId").stream().map(JsonNode::asText).toList()).contains(agent);
        assertThat(listed.toString()).contains("disk failing");

        BROWSER.click(row + " button[aria-label='Remove " + agent + " from the blacklist']");
        BROWSER.awaitText("the agent back in use", row + " td:nth-child(4)", "no"::equals);
        assertThat(Http.json(Http.get(APP.api("/v1/agents"))).toString()).doesNotContain("disk failing");
    }

    @Test
    @Order(5)
    void aTasksLogPageFollowsWhatTheTaskPrintsAndSaysWhenThereIsNoSuchTask() {
        HttpResponse<String> created = Http.post(APP.api("/v1/jobs"), "{\"id\":\"talker\",\"kind\":\"SERVICE\","
                + "\"command\":\"echo first-line; sleep 3; echo later-line; sleep 600\",\"instances\":1,"
                + "\"resources\":{\"cpus\":0.1,\"memMb\":16}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        BROWSER.open(APP.api("/#/jobs/talker"));
        String task = BROWSER.await("the task RUNNING", d -> runningTaskRows().stream().findFirst().orElse(null));
        BROWSER.click("a[aria-label='Logs of " + task + "']");
        BROWSER.awaitText("the line it printed first", "#log-output", t -> t.contains("first-line"));
        BROWSER.script("window.stillTheSamePage = true;");
        BROWSER.awaitText("the line it printed seconds later, followed", "#log-output", t -> t.contains("later-line"));
        assertThat(BROWSER.script("return window.stillTheSamePage === true;")).isEqualTo(true);

        BROWSER.open(APP.api("/#/tasks/no-such-task/logs"));
        BROWSER.awaitText("the 404 said plainly", "#log-status", t -> t.contains("No such task"));
    }

    private static Set<String> runningTaskRows() {
        return BROWSER.findAll("tr[data-state='TASK_RUNNING']").stream().map(r -> r.getAttribute("data-task"))
                .collect(Collectors.toSet());
    }

    private static void type(String id, String text) {
        BROWSER.type("#" + id, text);
    }
}
