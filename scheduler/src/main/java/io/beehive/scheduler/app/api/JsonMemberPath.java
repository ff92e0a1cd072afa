package io.beehive.scheduler.app.api;

import com.fasterxml.jackson.core.JsonStreamContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** How the API names a member of a request body in its errors: {@code resources.cpus}, {@code constraints[1].value}. */
final class JsonMemberPath {
    private JsonMemberPath() {
    }

    /** The member {@code name} of the object whose parsing context is {@code holder}. */
    static String of(JsonStreamContext holder, String name) {
        List<String> steps = new ArrayList<>();
        steps.add("." + name);
        for (JsonStreamContext c = holder == null ? null : holder.getParent(); c != null && !c.inRoot();
             c = c.getParent()) {
            steps.add(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        Collections.reverse(steps);
        return String.join("", steps).substring(1);
    }
}
