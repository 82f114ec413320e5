// WhyDeniedSession module. See README "Architecture".
