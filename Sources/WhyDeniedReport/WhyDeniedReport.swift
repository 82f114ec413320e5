// WhyDeniedReport module. See README "Architecture".
