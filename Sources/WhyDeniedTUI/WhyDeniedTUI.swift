// WhyDeniedTUI module. See README "Architecture".
