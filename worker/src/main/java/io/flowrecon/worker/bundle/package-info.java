/**
 * How a worker gets a model's bundle without a shared filesystem: {@link io.flowrecon.worker.bundle.BundleResolver}
 * prefers a local copy with the registered hash, else fetches the files from the central
 * {@link io.flowrecon.shared.model.store.BlobStore} into a {@link io.flowrecon.worker.bundle.BundleCache} keyed by
 * the bundle hash, verifying every file's sha256.
 */
package io.flowrecon.worker.bundle;
