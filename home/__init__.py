"""The start page (login), each role's dashboard, navigation and the health endpoint."""
