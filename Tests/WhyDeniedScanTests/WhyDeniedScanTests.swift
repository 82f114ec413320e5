// Tests for WhyDeniedScan.
