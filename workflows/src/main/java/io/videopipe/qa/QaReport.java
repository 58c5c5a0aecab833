package io.videopipe.qa;

import java.util.List;

public record QaReport(boolean passed, List<QaCheck> checks, String reportUri, double computeSec) {}
