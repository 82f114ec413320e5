// WhyDeniedEvidence module. See README "Architecture".
