"""AI providers: small plug-ins behind one interface, looked up in a registry."""
