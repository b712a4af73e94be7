"""Priority-setting workshop."""
