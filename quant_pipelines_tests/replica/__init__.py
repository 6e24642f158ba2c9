"""Local replicas of the Senate eFD and House Clerk sites: same paths, served from the captures."""
