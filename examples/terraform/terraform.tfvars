office_cidrs = ["203.0.113.0/24"]
