"""The server-rendered pages. Views stay thin: check access, call one service
or selector, render."""
