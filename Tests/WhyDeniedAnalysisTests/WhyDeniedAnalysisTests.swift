// Tests for WhyDeniedAnalysis.
