package dev.durable.internal.runtime;

import dev.durable.Env;
import dev.durable.internal.alarm.AlarmScheduler;
import dev.durable.runtime.OutboundFetch;
import dev.durable.runtime.RuntimeClock;
import java.time.Duration;

/**
 * What the runtime lends every object: its clock, outbound fetch, the housekeeping thread, the
 * bound on open databases, how databases are opened, how long a statement may run, the tools that
 * reach its objects, the env instances are built with and the scheduler of alarm timers. Handed to
 * namespaces and objects when they are made, so they never reach back into the runtime.
 */
record ObjectServices(RuntimeClock clock, OutboundFetch outbound, Housekeeping housekeeping,
    OpenDatabases openDatabases, boolean fsync, boolean shareDatabaseFiles, Duration sqlTimeLimit,
    LocalObjectTools tools, Env env, AlarmScheduler scheduler) {}
