package dev.hako.events;

import jdk.jfr.Category;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.StackTrace;

/**
 * What every Hako event shares (the annotations are inherited): the category "Hako", off unless a recording enables
 * it (as Netty 4.2 does for its allocator events), and no stack trace unless an event asks for one: most of them
 * fire on slow paths that run thousands of times a second, and their thread is what tells where they came from.
 */
@Category("Hako")
@Enabled(false)
@StackTrace(false)
abstract class HakoEvent extends Event {
}
