/**
 * ONNX Runtime sessions: which execution provider runs them ({@link io.flowrecon.worker.runtime.RuntimeConfig},
 * read from FLOWRECON_EXECUTION_PROVIDER and friends), how sessions are opened
 * ({@link io.flowrecon.worker.runtime.SessionFactory}), and a bounded cache of compiled objectives keyed by
 * model hash, problem shape and operator identity ({@link io.flowrecon.worker.runtime.SessionCache}).
 */
package io.flowrecon.worker.runtime;
