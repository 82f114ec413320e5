// WhyDeniedAnalysis module. See README "Architecture".
