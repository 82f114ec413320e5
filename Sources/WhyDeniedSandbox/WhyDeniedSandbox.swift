// WhyDeniedSandbox module. See README "Architecture".
