// WhyDeniedRunbook module. See README "Architecture".
