package dev.bedrockgateway.testing;

import static io.restassured.RestAssured.given;

import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway's Prometheus metrics, as a test reads them from the management port. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The sum of the samples of {@code name} whose labels contain all of {@code labels}, scraped from
     * {@code metrics}; NaN when there is none.
     */
    public static double sum(URL metrics, String name, String... labels) {
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        double sum = 0;
        boolean found = false;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= m.group(1).contains(label);
            }
            if (all) {
                found = true;
                sum += Double.parseDouble(m.group(2));
            }
        }
        return found ? sum : Double.NaN;
    }
}
