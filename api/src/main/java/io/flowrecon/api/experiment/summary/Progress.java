package io.flowrecon.api.experiment.summary;

/**
 * Where an experiment stands.
 *
 * @param etaSeconds queued and running jobs times the median job time of this experiment (or of the models
 *                   when none has finished), divided by the live workers; 0 when nothing is left
 */
public record Progress(int total, int queued, int running, int succeeded, int failed, int cancelled, int done,
                       double etaSeconds, int liveWorkers) {
}
