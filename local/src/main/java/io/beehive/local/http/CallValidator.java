package io.beehive.local.http;

import org.apache.mesos.v1.scheduler.Protos.Call;

/** Call-level validation (spec §1.3 row 7, Mesos's validation.cpp): returns the reason or null. */
final class CallValidator {

    private CallValidator() {}

    static String validate(Call call) {
        if (!call.hasType()) {
            return "Expecting 'type' to be present";
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            if (!call.hasSubscribe()) {
                return "Expecting 'subscribe' to be present";
            }
            var info = call.getSubscribe().getFrameworkInfo();
            boolean idInInfo = info.hasId();
            if (idInInfo != call.hasFrameworkId()
                || (idInInfo && !info.getId().getValue().equals(call.getFrameworkId().getValue()))) {
                return "'framework_id' differs from 'subscribe.framework_info.id'";
            }
            return null;
        }
        if (!call.hasFrameworkId()) {
            return "Expecting 'framework_id' to be present";
        }
        return switch (call.getType()) {
            case ACCEPT -> call.hasAccept() ? null : "Expecting 'accept' to be present";
            case DECLINE -> call.hasDecline() ? null : "Expecting 'decline' to be present";
            case ACCEPT_INVERSE_OFFERS -> call.hasAcceptInverseOffers() ? null
                : "Expecting 'accept_inverse_offers' to be present";
            case DECLINE_INVERSE_OFFERS -> call.hasDeclineInverseOffers() ? null
                : "Expecting 'decline_inverse_offers' to be present";
            case KILL -> call.hasKill() ? null : "Expecting 'kill' to be present";
            case SHUTDOWN -> call.hasShutdown() ? null : "Expecting 'shutdown' to be present";
            case ACKNOWLEDGE -> {
                if (!call.hasAcknowledge()) {
                    yield "Expecting 'acknowledge' to be present";
                }
                yield validUuid(call.getAcknowledge().getUuid()) ? null : "Not a valid UUID";
            }
            case ACKNOWLEDGE_OPERATION_STATUS -> call.hasAcknowledgeOperationStatus() ? null
                : "Expecting 'acknowledge_operation_status' to be present";
            case RECONCILE -> call.hasReconcile() ? null : "Expecting 'reconcile' to be present";
            case RECONCILE_OPERATIONS -> call.hasReconcileOperations() ? null
                : "Expecting 'reconcile_operations' to be present";
            case MESSAGE -> call.hasMessage() ? null : "Expecting 'message' to be present";
            case REQUEST -> call.hasRequest() ? null : "Expecting 'request' to be present";
            case UPDATE_FRAMEWORK -> {
                if (!call.hasUpdateFramework()) {
                    yield "Expecting 'update_framework' to be present";
                }
                yield call.getUpdateFramework().getFrameworkInfo().getId().getValue()
                    .equals(call.getFrameworkId().getValue()) ? null
                    : "'framework_id' differs from 'update_framework.framework_info.id'";
            }
            default -> null;
        };
    }

    /**
     * stout's {@code UUID::fromBytes}: 16 bytes whose version nibble (the high half of byte 6) boost knows, 1 to 5;
     * anything else is "Not a valid UUID".
     */
    private static boolean validUuid(com.google.protobuf.ByteString uuid) {
        if (uuid.size() != 16) {
            return false;
        }
        int version = (uuid.byteAt(6) >> 4) & 0x0F;
        return version >= 1 && version <= 5;
    }
}
