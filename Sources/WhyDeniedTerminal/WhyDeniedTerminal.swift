// WhyDeniedTerminal module. See README "Architecture".
