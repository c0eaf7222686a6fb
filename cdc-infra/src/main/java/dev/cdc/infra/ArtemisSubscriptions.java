package dev.cdc.infra;

import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import java.util.ArrayList;
import java.util.List;

/**
 * Solace subscriptions in Artemis's terms (wildcards configured as {@code /}, {@code *}, {@code >}).
 *
 * <p>An Artemis queue is bound to one address. A queue with one subscription is bound to that subscription's
 * wildcard address; the one difference, Artemis's {@code >} also matching zero levels where Solace's needs at least
 * one, is bridged by writing a trailing {@code >} as {@code * />}. A queue with several subscriptions is bound to the
 * widest address they share and keeps exactly the topics its subscriptions match by a filter on the published
 * address ({@code AMQAddress}), so a message matched by two subscriptions is still queued once, as on Solace.
 * Measured on Artemis 2.55.
 */
public final class ArtemisSubscriptions {

    private static final char ESCAPE = '!';

    private ArtemisSubscriptions() {
    }

    /** The Artemis address of one subscription, with Solace's meaning. */
    public static String address(TopicSubscription subscription) {
        String p = subscription.pattern();
        return p.endsWith("/>") || p.equals(">") ? p.substring(0, p.length() - 1) + "*/>" : p;
    }

    /** The address a queue is bound to: its subscription's, or the widest one its subscriptions share. */
    public static String bindingAddress(QueueSpec queue) {
        List<TopicSubscription> subscriptions = queue.subscriptions();
        if (subscriptions.size() == 1) {
            return address(subscriptions.get(0));
        }
        List<String> common = new ArrayList<>();
        for (int i = 0; ; i++) {
            String level = levelOf(subscriptions.get(0), i);
            if (level == null || level.equals("*") || level.equals(">")) {
                break;
            }
            int at = i;
            if (!subscriptions.stream().allMatch(s -> level.equals(levelOf(s, at)))) {
                break;
            }
            common.add(level);
        }
        // Artemis's own '>' (zero or more levels) covers every subscription; the filter narrows it to Solace's rules.
        common.add(">");
        return String.join("/", common);
    }

    /**
     * The filter that keeps exactly what the subscriptions match, or {@code null} for a single subscription (its
     * address says it all).
     *
     * @throws IllegalArgumentException for a subscription a filter cannot state exactly: a literal level after a
     *     {@code *} in a subscription ending in {@code >}, such as {@code a/ * /b/>}
     */
    public static String filter(QueueSpec queue) {
        if (queue.subscriptions().size() == 1) {
            return null;
        }
        List<String> terms = new ArrayList<>();
        for (TopicSubscription s : queue.subscriptions()) {
            terms.add("(" + filter(s) + ")");
        }
        return String.join(" OR ", terms);
    }

    private static String filter(TopicSubscription s) {
        List<String> levels = s.levels();
        boolean anyTail = levels.get(levels.size() - 1).equals(">");
        StringBuilder like = new StringBuilder();
        boolean wildcardSeen = false;
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (i > 0) {
                like.append('/');
            }
            if (level.equals("*") || level.equals(">")) {
                wildcardSeen = true;
                like.append("_%"); // one non-empty level; with '>' possibly more
            } else {
                if (anyTail && wildcardSeen) {
                    // LIKE's '%' may span levels, so "a/%/b/%" would also match a/x/y/b/z, which Solace does not
                    throw new IllegalArgumentException("subscription " + s + " has a literal level after '*' and ends"
                            + " in '>': the embedded broker can't hold it next to other subscriptions on one queue;"
                            + " give it a queue of its own or spell the '*' level out");
                }
                like.append(escape(level));
            }
        }
        String term = "AMQAddress LIKE '" + like + "' ESCAPE '" + ESCAPE + "'";
        if (!anyTail && wildcardSeen) {
            // exactly levels.size() levels: then every '%' sits inside one level
            term += " AND AMQAddress NOT LIKE '" + "%/".repeat(levels.size() - 1) + "%/%'";
        }
        return term;
    }

    private static String escape(String literal) {
        StringBuilder out = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if (c == '%' || c == '_' || c == ESCAPE) {
                out.append(ESCAPE);
            }
            out.append(c == '\'' ? "''" : String.valueOf(c));
        }
        return out.toString();
    }

    private static String levelOf(TopicSubscription s, int i) {
        return i < s.levels().size() ? s.levels().get(i) : null;
    }

    /** The address a JMS consumer uses for a queue on Artemis: {@code ADDRESS::QUEUE}. On Solace it is the queue name. */
    public static String consumerAddress(QueueSpec queue) {
        return bindingAddress(queue) + "::" + queue.name();
    }
}
