// WhyDeniedScan module. See README "Architecture".
