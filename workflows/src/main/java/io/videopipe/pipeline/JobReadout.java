package io.videopipe.pipeline;

import io.videopipe.notify.WebhookDelivery;
import java.util.List;

/**
 * Everything a status read needs from a job's workflow, in one query ({@link VideoPipelineWorkflow#readout}): one
 * round trip to the worker instead of one per part.
 *
 * @param progress where the job stands
 * @param stepTimings every step attempt so far (what the cost so far is priced from)
 * @param finalResult the result once the pipeline has ended, null before
 * @param webhook the webhook's delivery record, null when the job has none or has not reached it
 */
public record JobReadout(
    Progress progress, List<StepTiming> stepTimings, JobResult finalResult, WebhookDelivery webhook) {}
