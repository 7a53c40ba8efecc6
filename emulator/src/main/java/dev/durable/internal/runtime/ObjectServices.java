package dev.durable.internal.runtime;

import dev.durable.Env;
import dev.durable.internal.alarm.AlarmScheduler;
import dev.durable.runtime.OutboundFetch;
import dev.durable.runtime.RuntimeClock;
import java.time.Duration;

/**
 * What the runtime lends every object: its clock, outbound fetch, the runtime itself for its
 * housekeeping thread ({@link LocalRuntime#watchdog}, {@link LocalRuntime#background}), the bound
 * on open databases, how databases are opened, how long a statement may run, the tools that
 * reach its objects, the env instances are built with and the scheduler of alarm timers. Handed
 * to namespaces and objects when they are made.
 */
record ObjectServices(RuntimeClock clock, OutboundFetch outbound, LocalRuntime housekeeping,
    OpenDatabases openDatabases, boolean fsync, boolean shareDatabaseFiles, Duration sqlTimeLimit,
    LocalObjectTools tools, Env env, AlarmScheduler scheduler) {}
