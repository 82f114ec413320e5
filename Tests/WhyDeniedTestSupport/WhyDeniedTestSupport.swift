// Test support: moto sandbox, tmux driver, fixtures.
