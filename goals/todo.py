"""What a signed-in person should do now: the rows of their to-do list and its count in the menu."""
