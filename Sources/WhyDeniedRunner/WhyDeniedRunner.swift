// WhyDeniedRunner module. See README "Architecture".
