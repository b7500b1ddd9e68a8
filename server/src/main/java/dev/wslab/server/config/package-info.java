/**
 * The node's settings: each declared once ({@code Config.Setting}: name, default, meaning), read
 * from the environment or a properties file, checked at start, and listed in the README's table.
 */
package dev.wslab.server.config;
