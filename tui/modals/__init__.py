"""Modal screens: confirmations, pickers, the link picker, name fields and help."""
