package io.beehive.local.master;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

/**
 * The master's semantic checks with Mesos's messages (spec §3.1 FrameworkInfo, §3.3 offers and tasks). Each
 * returns the reason a request is refused, or null. Pure functions of their arguments.
 */
final class Validation {

    private Validation() {}

    @SuppressWarnings("deprecation")
    static String frameworkInfo(FrameworkInfo fi, List<String> suppressed) {
        boolean multiRole = fi.getCapabilitiesList().stream()
            .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE);
        if (multiRole && fi.hasRole()) {
            return "'FrameworkInfo.role' must not be set if the MULTI_ROLE capability is enabled";
        }
        if (!multiRole && fi.getRolesCount() > 0) {
            return "'FrameworkInfo.roles' must not be set if the MULTI_ROLE capability is not enabled";
        }
        Set<String> roles = new HashSet<>();
        for (String role : multiRole ? fi.getRolesList() : List.of(fi.hasRole() ? fi.getRole() : "*")) {
            if (!roles.add(role)) {
                return "'FrameworkInfo.roles' contains duplicate items";
            }
            String roleError = role(role);
            if (roleError != null) {
                return "'FrameworkInfo.roles' contains invalid role: " + roleError;
            }
        }
        for (String s : suppressed) {
            if (!roles.contains(s)) {
                return "Suppressed role '" + s + "' is not contained in the list of roles";
            }
        }
        if (fi.hasId()) {
            String idError = id(fi.getId().getValue());
            if (idError != null) {
                return "'FrameworkInfo.id' is invalid: " + idError;
            }
        }
        if (fi.getFailoverTimeout() * 1e9 > Long.MAX_VALUE) {
            return "Invalid 'FrameworkInfo.failover_timeout': the duration is out of range";
        }
        return null;
    }

    static String role(String role) {
        if (role.equals("*")) {
            return null;
        }
        if (role.isEmpty()) {
            return "Empty role name is invalid";
        }
        if (role.startsWith("/") || role.endsWith("/") || role.contains("//")) {
            return "Role '" + role + "' cannot start or end with a slash, or contain consecutive slashes";
        }
        for (String part : role.split("/")) {
            if (part.equals(".") || part.equals("..") || part.startsWith("-")) {
                return "Role '" + role + "' cannot be '.', '..' or start with '-'";
            }
            for (char c : part.toCharArray()) {
                if (c <= ' ' || c == 127 || c == '\\' || c == '*') {
                    return "Role '" + role + "' contains invalid characters";
                }
            }
        }
        return null;
    }

    static String id(String id) {
        if (id.isEmpty()) {
            return "ID must not be empty";
        }
        if (id.length() > 255) {
            return "ID must not be greater than 255 characters";
        }
        if (id.equals(".") || id.equals("..")) {
            return "'" + id + "' is disallowed";
        }
        for (char c : id.toCharArray()) {
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
                return "'" + id + "' contains invalid characters";
            }
        }
        return null;
    }

    static String offers(Framework fw, List<OfferID> ids, Map<String, OfferRecord> offers) {
        if (ids.isEmpty()) {
            return "No offers specified";
        }
        Set<String> seen = new HashSet<>();
        for (OfferID id : ids) {
            if (!seen.add(id.getValue())) {
                return "Duplicate offer " + id.getValue() + " in offer list";
            }
        }
        String role = null;
        String agentId = null;
        for (OfferID id : ids) {
            OfferRecord offer = offers.get(id.getValue());
            if (offer == null) {
                return "Offer " + id.getValue() + " is no longer valid";
            }
            if (!offer.frameworkId.equals(fw.id)) {
                return "Offer " + id.getValue() + " has invalid framework " + offer.frameworkId
                    + " while framework " + fw.id + " is expected";
            }
            if (role != null && !role.equals(offer.role)) {
                return "Aggregated offers must be allocated to the same role. Offer " + id.getValue()
                    + " uses role " + offer.role + " but another is allocated to role " + role;
            }
            if (agentId != null && !agentId.equals(offer.agentId)) {
                return "Aggregated offers must belong to one single agent. Offer " + id.getValue()
                    + " uses agent " + offer.agentId + " and agent " + agentId;
            }
            role = offer.role;
            agentId = offer.agentId;
        }
        return null;
    }

    /**
     * @param offered the resources of the accepted offers as they were listed, for the order of the "more than
     *                available" text; {@code role} the role they were allocated to
     */
    static String task(Framework fw, TaskInfo task, String agentId, ResourceBag available, Set<String> launchedNow,
                       List<org.apache.mesos.v1.Protos.Resource> offered, String role) {
        String taskId = task.getTaskId().getValue();
        String idError = id(taskId);
        if (idError != null) {
            return idError;
        }
        if (fw.tasks.containsKey(taskId) || launchedNow.contains(taskId)) {
            return "Task has duplicate ID: " + taskId;
        }
        if (fw.unreachableTasks.containsKey(taskId)) {
            return "Task reuses the ID of an unreachable task: " + taskId;
        }
        if (!task.getAgentId().getValue().equals(agentId)) {
            return "Task uses invalid agent " + task.getAgentId().getValue() + " while agent " + agentId + " is expected";
        }
        if (task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()
            && task.getKillPolicy().getGracePeriod().getNanoseconds() < 0) {
            return "Task's `kill_policy.grace_period` must be non-negative";
        }
        if (task.hasCheck()) {
            String checkError = CheckValidation.check(task.getCheck());
            if (checkError != null) {
                return "Task uses invalid check: " + checkError;
            }
        }
        if (task.hasHealthCheck()) {
            String healthCheckError = CheckValidation.healthCheck(task.getHealthCheck());
            if (healthCheckError != null) {
                return "Task uses invalid health check: " + healthCheckError;
            }
        }
        if (task.getResourcesCount() == 0) {
            return "Task uses no resources";
        }
        for (org.apache.mesos.v1.Protos.Resource r : task.getResourcesList()) {
            if (r.getType() == Value.Type.SCALAR && (r.getScalar().getValue() < 0 || Double.isNaN(r.getScalar().getValue()))) {
                return "Invalid scalar resource " + r.getName() + ": value must be non-negative";
            }
        }
        if (task.hasCommand() == task.hasExecutor()) {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        }
        if (task.hasExecutor()) {
            return "Custom executors are not supported by the local master";
        }
        if (task.getCommand().getShell() && !task.getCommand().hasValue()) {
            return "Command value is required for shell commands";
        }
        ResourceBag needed = ResourceBag.fromProtos(task.getResourcesList());
        if (!available.contains(needed)) {
            return "Total resources " + ResourceText.of(task.getResourcesList(), role)
                + " required by task and its executor is more than available "
                + ResourceText.of(available, offered, role);
        }
        return null;
    }

}
